using OdhMigration.Cli.Hosting;

namespace OdhMigration.Cli.Tests.Commands;

public sealed class RedactorTests
{
    [Theory]
    [InlineData("Authorization: Bearer abc.def-ghi", "abc.def-ghi")]
    [InlineData("token: sekrit123", "sekrit123")]
    [InlineData("{\"token\":\"sekrit123\"}", "sekrit123")]
    [InlineData("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI", "wJalrXUtnFEMI")]
    [InlineData("got eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl back", "eyJhbGciOiJSUzI1NiJ9")]
    public void Credentials_are_masked(string text, string secret)
    {
        var redacted = Redactor.Redact(text);
        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(Redactor.Mask, redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Ordinary_text_is_untouched()
    {
        const string text = "exported fraud-detection/fraud-model: 4 object(s); token secret token-fraud-model-sa planned";
        Assert.Equal(text, Redactor.Redact(text));
    }
}
