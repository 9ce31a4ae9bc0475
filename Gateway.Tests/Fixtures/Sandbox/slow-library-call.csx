// Library calls that run long where no loop of the script's own runs: culture-aware comparisons of long strings
// that differ only by accents, so that the collator walks all of both, about 25 ms each here: 36 of them, in one
// expression with no budget check inside, run for about a second.
var a = new string('é', 7_000_000);
var b = a.Replace('é', 'e');
var order = string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture)
    + string.Compare(a, b, StringComparison.InvariantCulture) + string.Compare(b, a, StringComparison.InvariantCulture);
Text = order.ToString(System.Globalization.CultureInfo.InvariantCulture);
