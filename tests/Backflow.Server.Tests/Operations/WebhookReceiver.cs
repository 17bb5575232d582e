using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Backflow.Server.Tests.Operations;

/// <summary>A real HTTP receiver on loopback that records every POST and answers 503 to the first <see cref="FailNext"/> of them.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failNext;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(JsonElement Body, bool Accepted)> Requests { get; } = new();

    public Uri Url => new(_app.Urls.First() + "/hook");

    public int FailNext { get => _failNext; set => _failNext = value; }

    public IReadOnlyList<JsonElement> Accepted => Requests.Where(r => r.Accepted).Select(r => r.Body).ToList();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            var body = (await JsonDocument.ParseAsync(request.Body)).RootElement.Clone();
            var fail = Interlocked.Decrement(ref receiver._failNext) >= 0;
            receiver.Requests.Enqueue((body, !fail));
            return fail ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
