namespace Gateway.Tests.Scripting.Sandbox;

/// <summary>Scripts the sandbox must let compile and run, each with the response body it must produce from <c>{"message":"m"}</c>.</summary>
internal static class BenignScripts
{
    public static TheoryData<string, string, string> All => new()
    {
        // name, script, expected body (compact JSON)
        { "bare return", "return;", "{\"message\":\"m\"}" },
        { "arr", "if (Body?[\"message\"] is not JsonValue message) return;\nBody = new JsonObject { [\"message\"] = $\"{message}, arr!\" };", "{\"message\":\"m, arr!\"}" },
        { "linq", "var n = new[] { 3, 1, 2 }.OrderBy(x => x).Select(x => x * 2).ToArray();\nBody = new JsonObject { [\"n\"] = string.Join(\",\", n) };", "{\"n\":\"2,4,6\"}" },
        { "linq query syntax", "var q = from x in new[] { 1, 2, 3, 4 } where x % 2 == 0 select x;\nBody = new JsonObject { [\"n\"] = q.Sum() };", "{\"n\":6}" },
        { "regex with timeout", "var r = new Regex(\"m+\", RegexOptions.None, TimeSpan.FromSeconds(1));\nBody = new JsonObject { [\"match\"] = r.IsMatch(Body![\"message\"]!.ToString()) };", "{\"match\":true}" },
        { "static regex with timeout", "Body = new JsonObject { [\"x\"] = Regex.Replace(\"aaa\", \"a\", \"b\", RegexOptions.None, TimeSpan.FromSeconds(5)) };", "{\"x\":\"bbb\"}" },
        { "string formatting", "Body = new JsonObject { [\"s\"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, \"{0:0.00}|{1,3}\", 1.5, 7) };", "{\"s\":\"1.50|  7\"}" },
        { "string builder", "var sb = new StringBuilder();\nfor (var i = 0; i < 3; i++) sb.Append(i);\nBody = new JsonObject { [\"s\"] = sb.ToString() };", "{\"s\":\"012\"}" },
        { "json array", "var a = new JsonArray(1, 2, 3);\na.Add(4);\nBody = new JsonObject { [\"a\"] = a };", "{\"a\":[1,2,3,4]}" },
        { "json parse", "Body = JsonNode.Parse(\"{\\\"x\\\":[1,{\\\"y\\\":true}]}\");", "{\"x\":[1,{\"y\":true}]}" },
        { "json serializer of nodes", "var s = System.Text.Json.JsonSerializer.Serialize<JsonNode>(Body!);\nBody = new JsonObject { [\"len\"] = s.Length };", "{\"len\":15}" },
        { "dictionary", "var d = new Dictionary<string, int> { [\"a\"] = 1 };\nd[\"b\"] = 2;\nBody = new JsonObject { [\"n\"] = d.Values.Sum() };", "{\"n\":3}" },
        { "hash set", "var set = new HashSet<string> { \"a\", \"a\", \"b\" };\nBody = new JsonObject { [\"n\"] = set.Count };", "{\"n\":2}" },
        { "dates", "var d = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);\nBody = new JsonObject { [\"d\"] = d.AddDays(1).ToString(\"yyyy-MM-dd\", System.Globalization.CultureInfo.InvariantCulture) };", "{\"d\":\"2026-01-03\"}" },
        { "math and convert", "Body = new JsonObject { [\"x\"] = Math.Max(2, 3) + Convert.ToInt32(\"4\", System.Globalization.CultureInfo.InvariantCulture) };", "{\"x\":7}" },
        { "local function recursion", "int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);\nBody = new JsonObject { [\"f\"] = Fib(10) };", "{\"f\":55}" },
        { "class with method", "class Shout { public static string Up(string s) => s.ToUpperInvariant() + \"!\"; }\nBody = new JsonObject { [\"s\"] = Shout.Up(\"m\") };", "{\"s\":\"M!\"}" },
        { "try catch", "try { throw new InvalidOperationException(\"x\"); }\ncatch (InvalidOperationException e) when (e.Message == \"x\") { Body = new JsonObject { [\"caught\"] = true }; }", "{\"caught\":true}" },
        { "catch all", "try { int.Parse(\"no\", System.Globalization.CultureInfo.InvariantCulture); }\ncatch { Body = new JsonObject { [\"caught\"] = true }; }", "{\"caught\":true}" },
        { "nameof is fine", "Body = new JsonObject { [\"n\"] = nameof(System.IO.File) };", "{\"n\":\"File\"}" },
        { "uri and encoding", "var u = new Uri(\"https://example.com/a b\");\nBody = new JsonObject { [\"u\"] = u.AbsolutePath, [\"e\"] = System.Net.WebUtility.UrlEncode(\"a&b\") };", "{\"u\":\"/a%20b\",\"e\":\"a%26b\"}" },
        { "http status code", "Body = new JsonObject { [\"s\"] = ((System.Net.HttpStatusCode)404).ToString() };", "{\"s\":\"NotFound\"}" },
        { "tuples and switch", "var (a, b) = (1, \"x\");\nBody = new JsonObject { [\"s\"] = a switch { 1 => b, _ => \"?\" } };", "{\"s\":\"x\"}" },
        { "goto loop", "var i = 0;\nagain:\ni++;\nif (i < 3) goto again;\nBody = new JsonObject { [\"i\"] = i };", "{\"i\":3}" },
        { "string padding", "Body = new JsonObject { [\"s\"] = \"7\".PadLeft(3, '0') + new string('x', 2) };", "{\"s\":\"007xx\"}" },
        { "arrays", "var a = new int[5];\na[4] = 1;\nvar n = Status / 100;\nvar b = new string[n];\nBody = new JsonObject { [\"n\"] = a.Sum() + b.Length };", "{\"n\":5}" },
        { "properties and lambdas", "class P { public int X { get; set; } public int Twice => X * 2; }\nvar p = new P { X = 4 };\nFunc<int, int> inc = x => x + 1;\nAction<int> noop = x => { };\nnoop(1);\nBody = new JsonObject { [\"n\"] = inc(p.Twice) };", "{\"n\":9}" },
        { "logging", "Log.LogInformation(\"Saw {Status}\", Status);\nBody = new JsonObject { [\"ok\"] = true };", "{\"ok\":true}" },

        // Empty bodies, wherever they are written.
        { "empty method", "void F() {}\nF();\nBody = new JsonObject { [\"ok\"] = true };", "{\"ok\":true}" },
        { "empty lambda", "Action a = () => {};\na();\nBody = new JsonObject { [\"ok\"] = true };", "{\"ok\":true}" },
        { "empty lambda argument", "var list = new List<int> { 1, 2 };\nlist.ForEach(x => {});\nBody = new JsonObject { [\"n\"] = list.Count };", "{\"n\":2}" },
        { "empty anonymous method", "Action<int> a = delegate {};\na(1);\nBody = new JsonObject { [\"ok\"] = true };", "{\"ok\":true}" },
        { "empty constructor and accessor", "class C { public C() {} public int X { get => 1; set {} } }\nvar c = new C { X = 2 };\nBody = new JsonObject { [\"x\"] = c.X };", "{\"x\":1}" },
        { "empty local function", "if (Status > 0) { void L() {} L(); }\nBody = new JsonObject { [\"ok\"] = true };", "{\"ok\":true}" },
        { "empty loops", "var n = 0;\nwhile (n++ < 3) {}\nfor (var i = 0; i < 3; i++) {}\nforeach (var x in new[] { 1 }) {}\nBody = new JsonObject { [\"n\"] = n };", "{\"n\":4}" },
        { "empty catch and finally", "try { } catch {} finally {}\nBody = new JsonObject { [\"ok\"] = true };", "{\"ok\":true}" },

        // Ordinary types: structs, enums, records, exceptions, interfaces, constants.
        { "foreach over an array", "var n = 0;\nforeach (var x in new[] { 1, 2, 3 }) { n += x; }\nBody = new JsonObject { [\"n\"] = n };", "{\"n\":6}" },
        { "struct and enum", "struct P { public int X; }\nenum Kind { A, B }\nvar p = new P { X = 3 };\nBody = new JsonObject { [\"x\"] = p.X, [\"k\"] = Kind.B.ToString() };", "{\"x\":3,\"k\":\"B\"}" },
        { "record equality", "record R(int X);\nBody = new JsonObject { [\"eq\"] = new R(2) == new R(2) };", "{\"eq\":true}" },
        { "exception subclass", "class Oops : InvalidOperationException { public Oops() : base(\"oops\") { } }\ntry { throw new Oops(); }\ncatch (Oops e) { Body = new JsonObject { [\"m\"] = e.Message, [\"inner\"] = e.InnerException == null }; }", "{\"m\":\"oops\",\"inner\":true}" },
        { "interface implementation", "class ByLength : IComparer<string> { public int Compare(string? x, string? y) => (x?.Length ?? 0) - (y?.Length ?? 0); }\nvar l = new List<string> { \"ccc\", \"a\" };\nl.Sort(new ByLength());\nBody = new JsonObject { [\"first\"] = l[0] };", "{\"first\":\"a\"}" },
        { "constants and static methods", "class K { public const string Name = \"k\"; public static string Up(string s) => s.ToUpperInvariant(); }\nBody = new JsonObject { [\"k\"] = K.Up(K.Name) };", "{\"k\":\"K\"}" },
        { "static property without storage", "class K { public static string Name => \"k\"; }\nBody = new JsonObject { [\"k\"] = K.Name };", "{\"k\":\"k\"}" },

        // Plain data handed to libraries that reflect.
        { "json values of plain data", "var a = new JsonArray();\na.Add(1);\na.Add(\"x\");\na.Add(new List<string> { \"y\" });\na.Add(JsonValue.Create(TimeSpan.FromSeconds(1)));\nBody = new JsonObject { [\"a\"] = a, [\"v\"] = JsonValue.Create<int>(5) };", "{\"a\":[1,\"x\",[\"y\"],\"00:00:01\"],\"v\":5}" },
        { "logging plain values", "Log.LogInformation(\"{Status} {Path} {Body} {Kind} {Escaped}\", Status, Request.Path, Body, Request.Termination, \"{{@not}}\");\nLog.LogInformation($\"interpolated {Status}\");\nLog.LogError(new InvalidOperationException(\"x\"), \"failed {Message}\", \"m\");\nLog.LogInformation(\"{{@literal}} {Stringified}\", new[] { 1, 2 });\nBody = new JsonObject { [\"ok\"] = true };", "{\"ok\":true}" },
        { "exception message", "try { throw new InvalidOperationException(\"boom\"); }\ncatch (Exception e) { Body = new JsonObject { [\"m\"] = e.Message, [\"h\"] = e.HResult != 0 }; }", "{\"m\":\"boom\",\"h\":true}" },

        // Nullable annotations.
        { "nullable annotations", "string? Find(string key) => key == \"m\" ? \"found\" : null;\nstring? missing = Find(\"x\");\nBody = new JsonObject { [\"s\"] = Find(\"m\") ?? \"none\", [\"missing\"] = missing is null };", "{\"s\":\"found\",\"missing\":true}" },
    };
}
