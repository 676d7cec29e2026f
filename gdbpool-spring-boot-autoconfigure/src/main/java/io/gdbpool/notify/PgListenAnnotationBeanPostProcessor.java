package io.gdbpool.notify;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.Assert;

/**
 * Finds {@link PgListen @PgListen} methods on beans and subscribes them to the
 * {@link PgNotificationListener} once every singleton exists (so before the listener
 * starts).
 * <p>
 * Only discovers and checks: channel placeholders are resolved and each name and each
 * method signature is validated as the bean is created, so a mistake fails start-up
 * naming the method. The listener owns the connection and threads;
 * {@link PgListenMethodAdapter} calls the method.
 */
public class PgListenAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton, Ordered {

	private ConfigurableListableBeanFactory beanFactory;

	private final Set<Class<?>> classesWithoutListeners = ConcurrentHashMap.newKeySet();

	private final List<Endpoint> endpoints = new ArrayList<>();

	private PgNotificationListener listener;

	private PayloadReader reader;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		Assert.isInstanceOf(ConfigurableListableBeanFactory.class, beanFactory);
		this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof AopInfrastructureBean || bean instanceof PgNotificationListener) {
			return bean;
		}
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithoutListeners.contains(targetClass)) {
			return bean;
		}
		Map<Method, PgListen> annotated = AnnotationUtils.isCandidateClass(targetClass, PgListen.class)
				? MethodIntrospector.selectMethods(targetClass,
						(MethodIntrospector.MetadataLookup<PgListen>) (method) -> AnnotatedElementUtils
							.findMergedAnnotation(method, PgListen.class))
				: Map.of();
		if (annotated.isEmpty()) {
			this.classesWithoutListeners.add(targetClass);
			return bean;
		}
		annotated.forEach((method,
				annotation) -> register(new Endpoint(bean, AopUtils.selectInvocableMethod(method, bean.getClass()),
						channelsOf(method, annotation), bindingOf(method))));
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<Endpoint> toSubscribe;
		synchronized (this.endpoints) {
			if (this.endpoints.isEmpty()) {
				return;
			}
			this.listener = this.beanFactory.getBeanProvider(PgNotificationListener.class).getIfAvailable();
			Assert.state(this.listener != null, () -> "@PgListen methods need a PgNotificationListener bean, e.g. "
					+ "@PgListen method " + PgListenMethodAdapter.describe(this.endpoints.get(0).method()));
			this.reader = this.beanFactory.getBeanProvider(PayloadReader.class).getIfAvailable();
			toSubscribe = new ArrayList<>(this.endpoints);
		}
		toSubscribe.forEach(this::subscribe);
	}

	private void register(Endpoint endpoint) {
		boolean subscribeNow;
		synchronized (this.endpoints) {
			this.endpoints.add(endpoint);
			// a bean created after the singletons (lazy, prototype) is subscribed at once
			subscribeNow = this.listener != null;
		}
		if (subscribeNow) {
			subscribe(endpoint);
		}
	}

	private void subscribe(Endpoint endpoint) {
		if (endpoint.binding() == PgListenMethodAdapter.Binding.JSON && this.reader == null) {
			throw new IllegalStateException("@PgListen method " + PgListenMethodAdapter.describe(endpoint.method())
					+ " takes a " + endpoint.method().getParameterTypes()[0].getName()
					+ " read from JSON, but there is no PayloadReader: add Jackson (tools.jackson.core:jackson-databind) "
					+ "or take the payload as String");
		}
		PgListenMethodAdapter adapter = new PgListenMethodAdapter(endpoint.bean(), endpoint.method(), this.reader);
		for (String channel : endpoint.channels()) {
			this.listener.subscribe(channel, adapter);
		}
	}

	private Set<String> channelsOf(Method method, PgListen annotation) {
		Set<String> channels = new LinkedHashSet<>();
		if (annotation.value().length == 0) {
			throw new BeanInitializationException(
					"@PgListen method " + PgListenMethodAdapter.describe(method) + " names no channel");
		}
		for (String value : annotation.value()) {
			String channel;
			try {
				channel = this.beanFactory.resolveEmbeddedValue(value);
			}
			catch (IllegalArgumentException ex) {
				throw new BeanInitializationException("@PgListen method " + PgListenMethodAdapter.describe(method)
						+ ": channel '" + value + "' cannot be resolved: " + ex.getMessage(), ex);
			}
			String problem = ChannelNames.problemWith(channel);
			if (problem != null) {
				throw new BeanInitializationException("@PgListen method " + PgListenMethodAdapter.describe(method)
						+ ": " + problem
						+ ((channel != null && !channel.equals(value)) ? " (resolved from '" + value + "')" : ""));
			}
			channels.add(channel);
		}
		return channels;
	}

	private static PgListenMethodAdapter.Binding bindingOf(Method method) {
		try {
			return PgListenMethodAdapter.bindingOf(method);
		}
		catch (IllegalStateException ex) {
			throw new BeanInitializationException(ex.getMessage());
		}
	}

	/**
	 * A discovered {@code @PgListen} method.
	 */
	private record Endpoint(Object bean, Method method, Set<String> channels, PgListenMethodAdapter.Binding binding) {

	}

}
