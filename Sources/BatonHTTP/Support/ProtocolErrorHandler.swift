import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request that is not valid HTTP, or whose line and headers pass the decoder's bound,
/// with problem+json — 431 for oversized headers, paths or queries, 400 otherwise — and closes the
/// connection. (The framework would answer a bare 400 with no body.)
final class ProtocolErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The bound on a request's line and headers, together.
    static let maxHeaderBytes = 32 * 1024

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parser = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        let oversized = parser == .headerOverflow
        let status: HTTPResponse.Status = oversized ? .requestHeaderFieldsTooLarge : .badRequest
        let code = "malformed"
        let detail = oversized ? "the request's line and headers together pass \(Self.maxHeaderBytes / 1024) KiB: a shorter path, query or headers, please"
            : "the request is not valid HTTP/1.1"
        let json = #"{"code":"\#(code)","detail":"\#(detail)","status":\#(status.code),"title":"\#(oversized ? "Request headers too large" : "Bad request")","type":"urn:baton:problem:\#(code)"}"#
        var head = HTTPResponse(status: status)
        head.headerFields[.contentType] = "application/problem+json"
        head.headerFields[.contentLength] = String(json.utf8.count)
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(string: json))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
