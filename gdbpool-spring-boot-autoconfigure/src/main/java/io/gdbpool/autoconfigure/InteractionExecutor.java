package io.gdbpool.autoconfigure;

import java.util.concurrent.Executor;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The executor of asynchronous interactions: the application's task executor when it has
 * one (Boot's {@code applicationTaskExecutor}); otherwise virtual threads when they are
 * enabled, else a bounded pool of platform threads with a queue, so interactions wait
 * instead of failing.
 * <p>
 * Deliberately not an {@link Executor} bean itself: that would make Boot's own
 * {@code applicationTaskExecutor} back off.
 */
class InteractionExecutor implements DisposableBean {

	static final String APPLICATION_TASK_EXECUTOR = "applicationTaskExecutor";

	private final Executor executor;

	private final ThreadPoolTaskExecutor owned;

	InteractionExecutor(BeanFactory beanFactory, Environment environment, int poolSize) {
		if (beanFactory.containsBean(APPLICATION_TASK_EXECUTOR)) {
			this.executor = beanFactory.getBean(APPLICATION_TASK_EXECUTOR, Executor.class);
			this.owned = null;
		}
		else if (Threading.VIRTUAL.isActive(environment)) {
			SimpleAsyncTaskExecutor virtual = new SimpleAsyncTaskExecutor("gdbpool-async-");
			virtual.setVirtualThreads(true);
			this.executor = virtual;
			this.owned = null;
		}
		else {
			ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
			pool.setThreadNamePrefix("gdbpool-async-");
			pool.setCorePoolSize(Math.max(2, poolSize));
			pool.setMaxPoolSize(Math.max(2, poolSize));
			pool.setDaemon(true);
			pool.initialize();
			this.executor = pool;
			this.owned = pool;
		}
	}

	Executor executor() {
		return this.executor;
	}

	@Override
	public void destroy() {
		if (this.owned != null) {
			this.owned.shutdown();
		}
	}

}
