// Library calls that run long where no loop of the script's own runs: culture-aware comparisons of long strings
// that differ only by an accent, so that the collator walks all of both (hundreds of milliseconds) before the
// accent decides.
var a = new string('é', 7_000_000);
var b = a.Replace('é', 'e');
var order = string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture);
Text = order.ToString(System.Globalization.CultureInfo.InvariantCulture);
