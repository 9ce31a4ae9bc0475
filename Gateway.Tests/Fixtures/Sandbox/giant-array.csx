// One huge allocation.
var size = int.MaxValue - Status;
var giant = new long[size];
