// Changes the response, then throws: the client must get the response as it was before this transform.
Headers["x-before-throw"] = "set";
Body!["message"] = "changed before the throw";
throw new InvalidOperationException("this transform always fails");
