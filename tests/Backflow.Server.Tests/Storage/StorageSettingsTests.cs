using Backflow.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Backflow.Server.Tests.Storage;

/// <summary>A misconfigured store stops the server at start with every problem named, never at the first publish.</summary>
public sealed class StorageSettingsTests
{
    [Theory]
    [InlineData("Mode=Blob", "Backflow:Storage:Mode is 'Blob'; valid values are FileSystem, AzureBlob")]
    [InlineData("Mode=AzureBlob", "set exactly one of ConnectionString (BACKFLOW__STORAGE__CONNECTIONSTRING) or AccountUrl")]
    [InlineData("Mode=AzureBlob;AccountUrl=https://acct.blob.core.windows.net", "AccountUrl needs Backflow:Storage:AccountName and Backflow:Storage:AccountKey")]
    [InlineData("Mode=FileSystem;DirectDownloads=true", "DirectDownloads needs Backflow:Storage:Mode=AzureBlob")]
    [InlineData("Mode=AzureBlob;ConnectionString=UseDevelopmentStorage=true;Container=Bad_Name", "Container 'Bad_Name' is not a valid container name")]
    [InlineData("Mode=AzureBlob;ConnectionString=UseDevelopmentStorage=true;SasLifetime=00:00:00", "SasLifetime is 00:00:00")]
    [InlineData("SasLifetime=soon", "Backflow:Storage:")]
    public void Bad_settings_are_refused_with_what_to_fix(string settings, string message)
    {
        var error = Assert.Throws<UserError>(() => Build(settings));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Direct_downloads_need_a_key_to_sign_with()
    {
        var error = Assert.Throws<UserError>(() => Build("Mode=AzureBlob;DirectDownloads=true;ConnectionString=BlobEndpoint=http://127.0.0.1:1/acct;SharedAccessSignature=sv=2020-08-04&sig=x"));

        Assert.Contains("needs a key to sign SAS URLs", error.Message, StringComparison.Ordinal);
    }

    private static void Build(string settings)
    {
        using var temp = new TempDirectory();
        // Values may hold '=' (connection strings), so only the first one splits key from value.
        var values = settings.Split(';', 3).Select(s => s.Split('=', 2)).ToDictionary(p => "Backflow:Storage:" + p[0], p => (string?)p[1]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        new ServiceCollection().AddBackflowServer(new ServerPaths(temp.Path, temp.Path), configuration).BuildServiceProvider().Dispose();
    }
}
