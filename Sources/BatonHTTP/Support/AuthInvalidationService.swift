import BatonStore
import Logging
import ServiceLifecycle

/// Listens on `baton_auth` and clears the token cache whenever anything that affects
/// authentication changes, in this process or any other.
public struct AuthInvalidationService: Service {
    let authenticator: Authenticator
    let logger: Logger

    public init(authenticator: Authenticator, logger: Logger) {
        self.authenticator = authenticator
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                for try await _ in authenticator.store.authChanges().cancelOnGracefulShutdown() {
                    authenticator.invalidateAll()
                    authenticator.setListening(true)
                }
                authenticator.setListening(false)
            } catch {
                authenticator.setListening(false)
                logger.warning("token cache off: cannot listen for revocations", metadata: ["error": "\(String(reflecting: error))"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(2)) }
            }
        }
        authenticator.setListening(false)
    }
}
