package org.flinkconnectors.odps.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.BootstrapConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.AddressResolverGroup;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;

/**
 * The bootstrap of one upsert session's data connections: the SDK's own configuration (pipeline,
 * timeouts, proxy) on the writer's shared event loop, with two additions the SDK lacks.
 *
 * <ul>
 *   <li>A connection that cannot be opened is opened again with backoff, as {@link
 *       UpsertSendRetries#retryConnect} decides. The stream opens a connection per request and
 *       sends nothing before it is open, so this retry never repeats data.
 *   <li>Every connection gets an {@link AnswerWatch}, so a request whose connection closes without
 *       an answer fails instead of leaving the stream waiting for good.
 * </ul>
 *
 * <p>{@link #connect(SocketAddress)} blocks while it retries; the stream calls it from the thread
 * that sends, never from the event loop.
 */
final class RetryingBootstrap extends Bootstrap {

    private final UpsertSendRetries retries;

    RetryingBootstrap(Bootstrap sdkBootstrap, EventLoopGroup group, UpsertSendRetries retries) {
        this.retries = retries;
        BootstrapConfig config = sdkBootstrap.config();
        group(group);
        channel(NioSocketChannel.class);
        handler(config.handler());
        for (Map.Entry<ChannelOption<?>, Object> option : config.options().entrySet()) {
            copyOption(option.getKey(), option.getValue());
        }
        AddressResolverGroup<?> resolver = config.resolver();
        if (resolver == null) {
            disableResolver();
        } else {
            resolver(resolver);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> void copyOption(ChannelOption<T> key, Object value) {
        option(key, (T) value);
    }

    /** Connects, retrying failed attempts; {@code connect(host, port)} comes here too. */
    @Override
    public ChannelFuture connect(SocketAddress remoteAddress) {
        for (int attempt = 1; ; attempt++) {
            retries.connecting();
            ChannelFuture connected = super.connect(remoteAddress);
            try {
                connected.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return connected;
            }
            // A server going down may accept a connection and close it at once; the SDK's pool
            // takes a connection that is no longer active for a failure it does not retry.
            Throwable failure =
                    !connected.isSuccess()
                            ? connected.cause()
                            : connected.channel().isActive()
                                    ? null
                                    : new ConnectException("closed by the server on connect");
            if (failure == null) {
                connected.channel().pipeline().addLast(AnswerWatch.NAME, new AnswerWatch());
                return connected;
            }
            if (!retries.retryConnect(attempt, describe(remoteAddress), failure)) {
                return connected;
            }
        }
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
