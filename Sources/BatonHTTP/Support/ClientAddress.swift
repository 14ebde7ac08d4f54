import Foundation

/// Who a request comes from, for the limits per address: the peer of the connection, unless that
/// peer is a proxy the operator trusts (`--trusted-proxy`). Then it is the nearest address in
/// `X-Forwarded-For` that is not itself a trusted proxy — the one the proxy saw; the entries left
/// of it were written by the client and prove nothing.
public enum ClientAddress {
    public static func resolve(peer: String, forwardedFor: [String], trusted: Set<String>) -> String {
        guard trusted.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !trusted.contains(hop) {
            return isAddress(hop) ? hop : peer
        }
        return peer
    }

    /// An IPv4 or IPv6 literal, as a proxy writes it.
    public static func isAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// Requests from this machine that no trusted proxy vouches for: the operators' own tools, exempt from the address limit.
    static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1"
    }
}
