// Tries to swallow the budget's exception and keep going.
while (true)
{
    try { while (true) { } }
    catch { }
    finally { }
}
