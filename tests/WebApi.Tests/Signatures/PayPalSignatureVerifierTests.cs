using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Signatures;

/// <summary>PayPal deliveries signed with an RSA certificate the test makes, as PayPal signs with its own.</summary>
public sealed class PayPalSignatureVerifierTests : IDisposable
{
    private const string WebhookId = "8PT597110X687430LKGECATA";
    private const string TransmissionId = "69cd13f0-d67a-11e5-baa3-778b53f4ae55";
    private const string CertUrl = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Utf8("""{"id":"WH-58D329510W468432D-8HN650336L201105X","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"42311647XV020574X"}}""");

    private readonly FakeTimeProvider _time = new(Now);
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly string _pemPath = Path.Combine(Path.GetTempPath(), $"paypal-test-{Guid.NewGuid():N}.pem");

    public PayPalSignatureVerifierTests()
    {
        _certificate = MakeCertificate(_key);
        File.WriteAllText(_pemPath, _certificate.ExportCertificatePem());
    }

    public void Dispose()
    {
        File.Delete(_pemPath);
        _certificate.Dispose();
        _key.Dispose();
    }

    private static X509Certificate2 MakeCertificate(RSA key) =>
        new CertificateRequest("CN=messageverificationcerts.paypal.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));

    private static string Sign(RSA key, string transmissionTime, byte[] body, HashAlgorithmName? hash = null, string webhookId = WebhookId)
    {
        var crc = PayPalSignatureVerifier.BodyCrc(body);
        return Convert.ToBase64String(key.SignData(Utf8($"{TransmissionId}|{transmissionTime}|{webhookId}|{crc}"), hash ?? HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static Dictionary<string, string> Headers(string signature, string transmissionTime, string algo = "SHA256withRSA", string certUrl = CertUrl) => new()
    {
        ["PAYPAL-TRANSMISSION-ID"] = TransmissionId,
        ["PAYPAL-TRANSMISSION-TIME"] = transmissionTime,
        ["PAYPAL-TRANSMISSION-SIG"] = signature,
        ["PAYPAL-AUTH-ALGO"] = algo,
        ["PAYPAL-CERT-URL"] = certUrl,
    };

    private ProviderOptions Options(string? certificatePath = "") => new()
    {
        Secrets = ["unused"],
        WebhookId = WebhookId,
        CertificatePath = certificatePath == "" ? _pemPath : certificatePath,
    };

    private PayPalSignatureVerifier Verifier(CountingHandler? handler = null) =>
        new(new PayPalCertificateSource(new HandlerFactory(handler ?? new CountingHandler("")), NullLogger<PayPalCertificateSource>.Instance), _time);

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private async Task<SignatureResult> VerifyAsync(Dictionary<string, string> headers, byte[]? body = null, ProviderOptions? options = null, CountingHandler? handler = null) =>
        await Verifier(handler).VerifyAsync(Create(options ?? Options(), body ?? Body, headers), CancellationToken.None);

    /// <summary>
    /// The CRC-32 check value (zlib's crc32 of "123456789" is 0xCBF43926) in the form PayPal signs: unsigned decimal,
    /// so a CRC with its top bit set is never written as a negative number.
    /// </summary>
    [Theory]
    [InlineData("123456789", "3421780262")]
    [InlineData("", "0")]
    [InlineData("The quick brown fox jumps over the lazy dog", "1095738169")]
    public void PayPalBodyCrc_KnownVectors_UnsignedDecimal(string body, string expected) =>
        Assert.Equal(expected, PayPalSignatureVerifier.BodyCrc(Utf8(body)));

    [Fact]
    public async Task PayPalSignature_ValidWithCertificatePath_ReturnsValid() =>
        Assert.Equal(SignatureResult.Valid, await VerifyAsync(Headers(Sign(_key, Time(Now), Body), Time(Now))));

    [Theory]
    [InlineData("SHA1withRSA")]
    [InlineData("SHA512withRSA")]
    public async Task PayPalSignature_OtherAuthAlgo_ReturnsValid(string algo)
    {
        var hash = algo == "SHA1withRSA" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA512;
        Assert.Equal(SignatureResult.Valid, await VerifyAsync(Headers(Sign(_key, Time(Now), Body, hash), Time(Now), algo)));
    }

    [Fact]
    public async Task PayPalSignature_UnknownAuthAlgo_ReturnsMalformed() =>
        Assert.Equal(SignatureResult.Malformed, await VerifyAsync(Headers(Sign(_key, Time(Now), Body), Time(Now), "MD5withRSA")));

    [Fact]
    public async Task PayPalSignature_AlgoDifferentFromSigned_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, await VerifyAsync(Headers(Sign(_key, Time(Now), Body), Time(Now), "SHA512withRSA")));

    [Fact]
    public async Task PayPalSignature_TamperedBody_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, await VerifyAsync(Headers(Sign(_key, Time(Now), Body), Time(Now)), Tampered(Body)));

    [Fact]
    public async Task PayPalSignature_OtherWebhookId_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, await VerifyAsync(Headers(Sign(_key, Time(Now), Body, webhookId: "OTHERWEBHOOK"), Time(Now))));

    [Fact]
    public async Task PayPalSignature_SignedWithOtherKey_ReturnsMismatch()
    {
        using var other = RSA.Create(2048);
        Assert.Equal(SignatureResult.Mismatch, await VerifyAsync(Headers(Sign(other, Time(Now), Body), Time(Now))));
    }

    [Fact]
    public async Task PayPalSignature_SignatureNotBase64_ReturnsMalformed() =>
        Assert.Equal(SignatureResult.Malformed, await VerifyAsync(Headers("not base64!", Time(Now))));

    [Fact]
    public async Task PayPalSignature_MissingHeader_ReturnsMissingSignature()
    {
        var headers = Headers(Sign(_key, Time(Now), Body), Time(Now));
        headers.Remove("PAYPAL-TRANSMISSION-SIG");
        Assert.Equal(SignatureResult.MissingSignature, await VerifyAsync(headers));
    }

    [Fact]
    public async Task PayPalSignature_TransmissionTimeOutsideTolerance_ReturnsOutsideTolerance()
    {
        var sent = Time(Now.AddSeconds(-301));
        Assert.Equal(SignatureResult.OutsideTolerance, await VerifyAsync(Headers(Sign(_key, sent, Body), sent)));
    }

    [Fact]
    public async Task PayPalSignature_TransmissionTimeInFuture_ReturnsOutsideTolerance()
    {
        var sent = Time(Now.AddSeconds(301));
        Assert.Equal(SignatureResult.OutsideTolerance, await VerifyAsync(Headers(Sign(_key, sent, Body), sent)));
    }

    [Theory]
    [InlineData("https://evil.example.com/v1/notifications/certs/CERT-1")]
    [InlineData("https://api.paypal.com.evil.example/certs/CERT-1")]
    [InlineData("http://api.paypal.com/v1/notifications/certs/CERT-1")]
    [InlineData("https://api.paypal.com:8443/v1/notifications/certs/CERT-1")]
    [InlineData("https://user@api.paypal.com/v1/notifications/certs/CERT-1")]
    [InlineData("not a url")]
    [InlineData("https://api.paypal.com/v1/oauth2/token")]
    [InlineData("https://api.paypal.com/v1/notifications/certs/")]
    [InlineData("https://api.paypal.com/v1/notifications/certs/../../oauth2/token")]
    public async Task PayPalSignature_CertUrlNotOnPayPalHost_ReturnsMismatchWithoutDownload(string certUrl)
    {
        var handler = new CountingHandler(_certificate.ExportCertificatePem());
        var result = await VerifyAsync(Headers(Sign(_key, Time(Now), Body), Time(Now), certUrl: certUrl), options: Options(certificatePath: null), handler: handler);
        Assert.Equal(SignatureResult.Mismatch, result);
        Assert.Equal(0, handler.Requests);
    }

    [Fact]
    public async Task PayPalSignature_CertUrlOnPayPalHost_DownloadsOnceAndCaches()
    {
        var handler = new CountingHandler(_certificate.ExportCertificatePem());
        var verifier = Verifier(handler);
        var request = Create(Options(certificatePath: null), Body, Headers(Sign(_key, Time(Now), Body), Time(Now)));

        Assert.Equal(SignatureResult.Valid, await verifier.VerifyAsync(request, CancellationToken.None));
        Assert.Equal(SignatureResult.Valid, await verifier.VerifyAsync(request, CancellationToken.None));
        Assert.Equal(1, handler.Requests);
        Assert.Equal(new Uri(CertUrl), handler.LastUri);
    }

    [Fact]
    public async Task PayPalCertificates_ManyDistinctUrls_CacheStaysWithinItsSizeLimit()
    {
        var handler = new CountingHandler(_certificate.ExportCertificatePem());
        using var source = new PayPalCertificateSource(new HandlerFactory(handler), NullLogger<PayPalCertificateSource>.Instance);
        var options = Options(certificatePath: null);
        string Url(int i) => $"https://api.paypal.com/v1/notifications/certs/CERT-{i}";
        for (var i = 0; i < PayPalCertificateSource.MaxCachedCertificates; i++)
        {
            Assert.NotNull((await source.GetAsync(options, Url(i), CancellationToken.None)).Certificate);
        }
        Assert.Equal(PayPalCertificateSource.MaxCachedCertificates, source.CachedCount);
        Assert.NotNull((await source.GetAsync(options, Url(0), CancellationToken.None)).Certificate);
        Assert.Equal(PayPalCertificateSource.MaxCachedCertificates, handler.Requests); // the first one came from the cache

        for (var i = PayPalCertificateSource.MaxCachedCertificates; i < PayPalCertificateSource.MaxCachedCertificates + 20; i++)
        {
            Assert.NotNull((await source.GetAsync(options, Url(i), CancellationToken.None)).Certificate);
        }
        Assert.InRange(source.CachedCount, 1, PayPalCertificateSource.MaxCachedCertificates);
    }

    [Fact]
    public async Task PayPalSignature_CertDownloadFails_ReturnsMismatch()
    {
        var handler = new CountingHandler("", HttpStatusCode.NotFound);
        var result = await VerifyAsync(Headers(Sign(_key, Time(Now), Body), Time(Now)), options: Options(certificatePath: null), handler: handler);
        Assert.Equal(SignatureResult.Mismatch, result);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task PayPalSignature_CertDownloadNotPem_ReturnsMismatch()
    {
        var handler = new CountingHandler("<html>maintenance</html>");
        var result = await VerifyAsync(Headers(Sign(_key, Time(Now), Body), Time(Now)), options: Options(certificatePath: null), handler: handler);
        Assert.Equal(SignatureResult.Mismatch, result);
    }

    [Fact]
    public async Task PayPalSignature_CertificatePathGoneAfterStart_ReturnsKeyUnavailable()
    {
        var path = _pemPath + ".moved";
        File.Copy(_pemPath, path);
        var verifier = Verifier();
        var request = Create(Options(certificatePath: path), Body, Headers(Sign(_key, Time(Now), Body), Time(Now)));
        Assert.Equal(SignatureResult.Valid, await verifier.VerifyAsync(request, CancellationToken.None));

        File.Delete(path);

        Assert.Equal(SignatureResult.KeyUnavailable, await verifier.VerifyAsync(request, CancellationToken.None));
    }

    [Fact]
    public async Task PayPalSignature_NoCertUrlAndNoCertificatePath_ReturnsMissingSignature()
    {
        var headers = Headers(Sign(_key, Time(Now), Body), Time(Now));
        headers.Remove("PAYPAL-CERT-URL");
        Assert.Equal(SignatureResult.MissingSignature, await VerifyAsync(headers, options: Options(certificatePath: null)));
    }

    [Fact]
    public void PayPalOptions_MissingWebhookId_Reported()
    {
        var problems = Verifier().ValidateOptions(new ProviderOptions { Secrets = ["x"] }).ToList();
        Assert.Contains("WebhookId: required for paypal", problems);
    }

    [Fact]
    public void PayPalOptions_CertificatePathMissingFile_Reported()
    {
        var problems = Verifier().ValidateOptions(Options(certificatePath: _pemPath + ".absent")).ToList();
        Assert.Contains(problems, p => p.StartsWith("CertificatePath:", StringComparison.Ordinal));
    }

    [Fact]
    public void PayPalOptions_ValidCertificatePath_NoProblems() =>
        Assert.Empty(Verifier().ValidateOptions(Options()));

    private sealed class HandlerFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private sealed class CountingHandler(string content, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        public Uri? LastUri { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            LastUri = request.RequestUri;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(content) });
        }
    }
}
