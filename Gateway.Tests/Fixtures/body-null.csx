// Sends no body at all.
Body = null;
