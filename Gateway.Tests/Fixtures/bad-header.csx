// Tries to split the response with CR/LF: refused, so the transform fails and changes nothing.
Status = 418;
Headers["x-injected"] = "a\r\nSet-Cookie: evil=1";
