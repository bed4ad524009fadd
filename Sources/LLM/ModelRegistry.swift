import Foundation

/// The configured providers, built once: one transport (HTTP client, limits, retries) per provider.
public final class ModelRegistry: Sendable {
    public let configuration: ModelConfiguration
    let providers: [String: any ModelProvider]
    let transports: [ProviderTransport]

    /// `environment` supplies the secrets named by `api_key_env` (the process environment by default);
    /// `sleep` is injectable so tests of retry timing need not wait.
    public init(
        configuration: ModelConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment,
        sleep: (@Sendable (Double) async throws -> Void)? = nil
    ) throws {
        self.configuration = configuration
        // Every secret first: a transport owns an HTTP client that must be shut down, so none is made
        // until the configuration is known to be usable.
        var keys: [String: String] = [:]
        for p in configuration.providers {
            guard let variable = p.apiKeyEnv else { continue }
            guard let value = environment[variable], !value.isEmpty else {
                throw ModelConfigurationError(
                    message: "プロバイダー「\(p.name)」の API キーが環境変数 \(variable) にありません",
                    fix: "Export \(variable) before starting Hiroba (the key is never written in the configuration file).")
            }
            keys[p.name] = value
        }
        var providers: [String: any ModelProvider] = [:]
        var transports: [ProviderTransport] = []
        for p in configuration.providers {
            let key = keys[p.name]
            let describe: @Sendable (Int, Data) -> (type: String?, message: String) =
                p.kind == .anthropic ? AnthropicProvider.describeError : OpenAICompatibleProvider.describeError
            let transport =
                if let sleep {
                    ProviderTransport(
                        provider: p.name, timeout: p.timeoutSeconds, connectTimeout: p.connectTimeoutSeconds, maxConcurrency: p.maxConcurrency,
                        retry: RetryPolicy(maxRetries: p.maxRetries), describeError: describe, sleep: sleep)
                } else {
                    ProviderTransport(
                        provider: p.name, timeout: p.timeoutSeconds, connectTimeout: p.connectTimeoutSeconds, maxConcurrency: p.maxConcurrency,
                        retry: RetryPolicy(maxRetries: p.maxRetries), describeError: describe)
                }
            transports.append(transport)
            switch p.kind {
            case .openai:
                providers[p.name] = OpenAICompatibleProvider(
                    name: p.name, baseURL: p.baseURL, apiKey: key, flavor: .openAI, streamUsage: p.streamUsage, transport: transport)
            case .azure:
                providers[p.name] = OpenAICompatibleProvider(
                    name: p.name, baseURL: p.baseURL, apiKey: key, flavor: .azure(apiVersion: p.apiVersion ?? ""),
                    streamUsage: p.streamUsage, transport: transport)
            case .anthropic:
                providers[p.name] = AnthropicProvider(name: p.name, baseURL: p.baseURL, apiKey: key, transport: transport)
            }
        }
        self.providers = providers
        self.transports = transports
    }

    public func provider(for model: ModelConfiguration.Model) -> (any ModelProvider)? { providers[model.provider] }

    public func shutdown() async {
        for transport in transports { await transport.shutdown() }
    }
}
