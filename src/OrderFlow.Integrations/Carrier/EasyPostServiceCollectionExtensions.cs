using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrderFlow.Integrations.Carrier;

/// <summary>Registers the EasyPost options (validated at start-up), its resilient HttpClient and the EasyPost carrier gateway.</summary>
public static class EasyPostServiceCollectionExtensions
{
    public static IServiceCollection AddOrderFlowEasyPost(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EasyPostOptions>().Bind(configuration.GetSection(EasyPostOptions.Section)).ValidateOnStart();
        Workflows.Options.SecretSetting.Register(services, configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EasyPostOptions>, EasyPostOptionsValidator>());

        // Short transient faults only (429 honoring Retry-After, 5xx, 408, timeouts), a few times with jittered backoff;
        // the durable retry policy around the label activity is the outer layer.
        services.AddHttpClient(EasyPostCarrierGateway.HttpClientName, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<EasyPostOptions>>().Value;
                client.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/') + "/");
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                    "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.ApiKey + ":")));
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            })
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.MaxRetryAttempts = 3;
                options.Retry.Delay = TimeSpan.FromSeconds(1);
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(20);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(90);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
            });
        services.TryAddSingleton<EasyPostShipmentIndex>();
        services.TryAddSingleton<EasyPostCarrierGateway>();
        return services;
    }
}
