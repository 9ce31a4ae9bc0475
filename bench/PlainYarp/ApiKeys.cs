using System.Security.Cryptography;
using System.Text;

namespace Bench.PlainYarp;

/// <summary>The accepted keys, compared in constant time.</summary>
internal sealed class ApiKeys(IEnumerable<string> keys)
{
    private readonly byte[][] _keys = [.. keys.Where(k => k.Length > 0).Select(Encoding.UTF8.GetBytes)];

    public bool IsKnown(string presented)
    {
        var bytes = Encoding.UTF8.GetBytes(presented);
        var known = false;
        foreach (var key in _keys)
        {
            known |= CryptographicOperations.FixedTimeEquals(key, bytes);
        }

        return known;
    }
}
