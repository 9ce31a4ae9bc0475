// Does not compile: the gateway must refuse to start when this is bound.
var status = Status;
status.NoSuchMethod();
