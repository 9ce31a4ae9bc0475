// Recurses without end.
int Deeper(int n) => Deeper(n + 1) + 1;
Status = Deeper(0);
