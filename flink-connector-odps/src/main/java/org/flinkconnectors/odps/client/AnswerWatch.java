package org.flinkconnectors.odps.client;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * Makes the SDK's upsert stream learn the outcome of every request it sent exactly once. The stream
 * waits, without a deadline, until each request of an attempt was counted: by its write listener
 * when the request could not be written, else by its result handler on the first answer or error. A
 * connection the service closes after the request was written (a restart of its front end) brings
 * neither, and the stream would wait for good; an error that arrives while the write is still under
 * way reaches both, and the stream would stop waiting while another request is open.
 *
 * <p>This handler sits in front of the result handler, one per connection (it runs on the
 * connection's event loop). It passes on the first answer or error only once the request was
 * written, drops it if the write failed (the write listener reports that), turns a close after a
 * written request without an answer into an error, and drops everything after the outcome.
 */
final class AnswerWatch extends ChannelDuplexHandler {

    static final String NAME = "flink-odps-answer-watch";

    private static final Logger LOG = LoggerFactory.getLogger(AnswerWatch.class);

    private boolean writing;
    private boolean written;
    private boolean settled;

    /** The first answer or error, while the request's write is under way or not yet begun. */
    @Nullable private Object held;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!promise.isVoid()) {
            writing = true;
            promise.addListener(
                    result -> {
                        if (result.isSuccess()) {
                            written = true;
                            if (held != null) {
                                pass(ctx, held);
                            }
                        } else {
                            settled = true;
                            drop(held);
                        }
                        held = null;
                    });
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        outcome(ctx, msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        outcome(ctx, cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (written && !settled) {
            pass(
                    ctx,
                    new IOException(
                            "MaxCompute closed the connection before it answered the request"));
        } else if (!writing) {
            drop(held); // no request will come on this connection
            held = null;
        }
        ctx.fireChannelInactive();
    }

    private void outcome(ChannelHandlerContext ctx, Object event) {
        if (settled || held != null) {
            drop(event);
        } else if (written) {
            pass(ctx, event);
        } else {
            held = event;
        }
    }

    private void pass(ChannelHandlerContext ctx, Object event) {
        settled = true;
        if (event instanceof Throwable) {
            ctx.fireExceptionCaught((Throwable) event);
        } else {
            ctx.fireChannelRead(event);
        }
    }

    private static void drop(@Nullable Object event) {
        if (event instanceof Throwable) {
            LOG.debug("Dropping an error the request's outcome does not need: {}", event);
        } else if (event != null) {
            ReferenceCountUtil.release(event);
        }
    }
}
