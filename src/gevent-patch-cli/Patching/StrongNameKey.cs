using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Gevent.Cli.Patching;

/// <summary>A strong-name key pair (.snk) given with <c>--key</c>, and the public key it signs with.</summary>
internal sealed class StrongNameKey
{
    private StrongNameKey(byte[] blob, byte[] publicKey)
    {
        Blob = blob;
        PublicKey = publicKey;
    }

    /// <summary>The .snk bytes, as Cecil takes them.</summary>
    public byte[] Blob { get; }

    /// <summary>The public key in an assembly's metadata form (what its identity is made of).</summary>
    public byte[] PublicKey { get; }

    /// <summary>Reads a key pair file.</summary>
    /// <exception cref="CryptographicException">The file is not a key pair.</exception>
    public static StrongNameKey Load(string path)
    {
        var blob = File.ReadAllBytes(path);
        using var rsa = new RSACryptoServiceProvider();
        rsa.ImportCspBlob(blob);
        if (rsa.PublicOnly)
        {
            throw new CryptographicException($"{path} holds only a public key; re-signing needs the key pair.");
        }

        // The metadata public key: signature algorithm (CALG_RSA_SIGN), hash algorithm (CALG_SHA1), size, then the CAPI public key blob.
        var capi = rsa.ExportCspBlob(false);

        // A strong-name key is a signature key (CALG_RSA_SIGN), whatever key number the .snk was exported under.
        BinaryPrimitives.WriteInt32LittleEndian(capi.AsSpan(4), 0x2400);
        var publicKey = new byte[12 + capi.Length];
        BinaryPrimitives.WriteInt32LittleEndian(publicKey, 0x2400);
        BinaryPrimitives.WriteInt32LittleEndian(publicKey.AsSpan(4), 0x8004);
        BinaryPrimitives.WriteInt32LittleEndian(publicKey.AsSpan(8), capi.Length);
        capi.CopyTo(publicKey, 12);
        return new StrongNameKey(blob, publicKey);
    }
}
