// Library calls that run long where no loop of the script's own runs: culture-aware comparisons of long
// non-ASCII strings (ASCII ones take a fast path).
var a = new string('é', 7_000_000);
var order = string.Compare(a, a + "b", StringComparison.InvariantCulture) + string.Compare(a, a + "c", StringComparison.InvariantCulture)
    + string.Compare(a, a + "d", StringComparison.InvariantCulture) + string.Compare(a, a + "e", StringComparison.InvariantCulture)
    + string.Compare(a, a + "f", StringComparison.InvariantCulture) + string.Compare(a, a + "g", StringComparison.InvariantCulture);
Text = order.ToString(System.Globalization.CultureInfo.InvariantCulture);
