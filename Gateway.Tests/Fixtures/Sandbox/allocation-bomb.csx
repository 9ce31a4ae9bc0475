// Allocates without end.
var hoard = new List<string>();
while (true) hoard.Add(new string('x', 100_000));
