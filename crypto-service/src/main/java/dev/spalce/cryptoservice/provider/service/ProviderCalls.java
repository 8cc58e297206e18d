package dev.spalce.cryptoservice.provider.service;

import dev.spalce.cryptoservice.provider.config.ProviderCallConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs key provider calls, which may block, on a dedicated bounded pool instead of the event loop, and brings the
 * result back to the caller's Vert.x context (where Hibernate Reactive must continue). A call that finds the pool's
 * queue full fails at once with {@link java.util.concurrent.RejectedExecutionException}, and one that exceeds the
 * deadline with {@link io.smallrye.mutiny.TimeoutException}: both mean "provider unavailable", never a wrong answer.
 */
@ApplicationScoped
public class ProviderCalls {

    private final ThreadPoolExecutor pool;
    private final Duration timeout;

    public ProviderCalls(ProviderCallConfig config) {
        if (config.threads() < 1 || config.queueCapacity() < 1) {
            throw new IllegalStateException(
                    "spalce.crypto.provider-calls.threads and .queue-capacity must be positive");
        }
        this.timeout = config.timeout();
        this.pool = new ThreadPoolExecutor(
                config.threads(),
                config.threads(),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()),
                new NamedDaemonThreads(),
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code call} on the provider pool; the result arrives on the caller's Vert.x context, if it has one. A
     * result that arrives after the deadline is dropped, and closed first if it holds secrets (an
     * {@link AutoCloseable}, such as an unwrapped DEK).
     */
    public <T> Uni<T> run(Supplier<T> call) {
        Context context = Vertx.currentContext();
        Uni<T> onPool = Uni.createFrom()
                .<T>emitter(emitter -> {
                    AtomicBoolean abandoned = new AtomicBoolean();
                    emitter.onTermination(() -> abandoned.set(true));
                    try {
                        pool.execute(() -> {
                            if (abandoned.get()) {
                                return;
                            }
                            T result;
                            try {
                                result = call.get();
                            } catch (RuntimeException | Error failure) {
                                if (!abandoned.get()) {
                                    emitter.fail(failure);
                                }
                                return;
                            }
                            if (abandoned.get()) {
                                closeQuietly(result);
                            } else {
                                emitter.complete(result);
                            }
                        });
                    } catch (RejectedExecutionException full) {
                        emitter.fail(full);
                    }
                })
                .ifNoItem()
                .after(timeout)
                .fail();
        if (context == null) {
            return onPool;
        }
        Executor onContext = task -> context.runOnContext(ignored -> task.run());
        return onPool.emitOn(onContext);
    }

    private static void closeQuietly(Object abandoned) {
        if (abandoned instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // best effort: it held a secret nobody will read
            }
        }
    }

    @PreDestroy
    void shutdown() {
        pool.shutdownNow();
    }

    private static final class NamedDaemonThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "key-provider-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
