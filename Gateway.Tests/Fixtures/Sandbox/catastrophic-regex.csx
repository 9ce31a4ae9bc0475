// A catastrophically backtracking pattern, with a generous timeout the gateway caps at the budget.
var evil = new Regex("^(a+)+$", RegexOptions.None, TimeSpan.FromMinutes(1));
Status = evil.IsMatch(new string('a', 40) + "!") ? 500 : 400;
