package org.flinkconnectors.odps.client;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.tunnel.Configuration;
import com.aliyun.odps.tunnel.impl.UpsertSessionImpl;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * The network event loop the upsert sessions of one writer or committer share. The SDK sends upsert
 * data over its own Netty client and would otherwise start an event loop per session whose shutdown
 * takes seconds, on every checkpoint; with a shared loop closing a session only releases its
 * connection pool and keep-alive timer. Each session gets its own {@link RetryingBootstrap} on the
 * loop, which retries refused connections and fails requests that never get an answer.
 */
@Internal
public final class UpsertNetwork implements AutoCloseable {

    private final NioEventLoopGroup group =
            new NioEventLoopGroup(1, new DefaultThreadFactory("odps-upsert-network", true));

    Bootstrap bootstrap(Configuration tunnelConfig, UpsertSendRetries retries) {
        return new RetryingBootstrap(
                UpsertSessionImpl.generateNettyBootstrap(tunnelConfig, group), group, retries);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
    }
}
