// Changes only the status: a 404 becomes a 410.
if (Status == 404) Status = 410;
