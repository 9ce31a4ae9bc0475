// Library calls that run long where no loop of the script's own runs: culture-aware comparisons of long strings.
var a = new string('a', 6_000_000);
var order = string.Compare(a, a + "b", StringComparison.InvariantCulture) + string.Compare(a, a + "c", StringComparison.InvariantCulture)
    + string.Compare(a, a + "d", StringComparison.InvariantCulture) + string.Compare(a, a + "e", StringComparison.InvariantCulture);
Text = order.ToString(System.Globalization.CultureInfo.InvariantCulture);
