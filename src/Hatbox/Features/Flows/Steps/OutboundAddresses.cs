using System.Net;
using System.Net.Sockets;

namespace Hatbox.Features.Flows.Steps;

/// <summary>
/// Which addresses outbound calls (<c>http</c> steps, file triggers by URL) may reach: public ones
/// only, unless configured. Checked on the address actually connected to, after DNS, so a name
/// that resolves to 127.0.0.1 and a redirect to one are refused like the literal address.
/// </summary>
internal static class OutboundAddresses
{
    static readonly (IPAddress Network, int Bits)[] Internal =
    [
        (IPAddress.Parse("0.0.0.0"), 8),
        (IPAddress.Parse("10.0.0.0"), 8),
        (IPAddress.Parse("100.64.0.0"), 10),
        (IPAddress.Parse("127.0.0.0"), 8),
        (IPAddress.Parse("169.254.0.0"), 16),
        (IPAddress.Parse("172.16.0.0"), 12),
        (IPAddress.Parse("192.0.0.0"), 24),
        (IPAddress.Parse("192.168.0.0"), 16),
        (IPAddress.Parse("198.18.0.0"), 15),
        (IPAddress.Parse("224.0.0.0"), 4),
        (IPAddress.Parse("240.0.0.0"), 4),
        (IPAddress.Parse("::"), 128),
        (IPAddress.Parse("::1"), 128),
        (IPAddress.Parse("fc00::"), 7),
        (IPAddress.Parse("fe80::"), 10),
        (IPAddress.Parse("ff00::"), 8),
        (IPAddress.Parse("64:ff9b::"), 96),
    ];

    /// <summary>Loopback, private, link-local (169.254.169.254 included), carrier-grade NAT, multicast, reserved.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var (network, bits) in Internal)
        {
            if (network.AddressFamily == address.AddressFamily && InNetwork(address, network, bits))
            {
                return true;
            }
        }
        return false;
    }

    static bool InNetwork(IPAddress address, IPAddress network, int bits)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> n = stackalloc byte[16];
        address.TryWriteBytes(a, out var length);
        network.TryWriteBytes(n, out _);
        for (var i = 0; i < length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : 0xFF << (8 - bits) & 0xFF;
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }
        return true;
    }

    public static bool IsSupported(IPAddress address) =>
        address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
}
