using System.Net;
using System.Text.Json;

namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>Assertions on problem-details responses.</summary>
internal static class ProblemAssert
{
    public const string Prefix = "urn:backflow:problem:";

    /// <summary>Asserts status and problem type, and that the body is a problem document (never data); returns it.</summary>
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.True(status == response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(bytes.AsSpan().IndexOf("PAR1"u8) >= 0, "a refusal must not carry Parquet bytes");
        Assert.DoesNotContain("payloadType", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"manifests\"", text, StringComparison.Ordinal);
        var json = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(Prefix + type, json.GetProperty("type").GetString());
        return json;
    }
}
