package io.gdbpool.autoconfigure;

import io.gdbpool.notify.PgListenerContainer;
import io.gdbpool.notify.PgNotificationEvent;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.event.GenericApplicationListenerAdapter;
import org.springframework.core.ResolvableType;

/**
 * Once the context is refreshed, tells the listener whether any application listener (an
 * {@code @EventListener} method or an {@code ApplicationListener} bean, in this context
 * or a parent) could receive a {@link PgNotificationEvent}. When none could, the listener
 * stops building and multicasting one event per notification, which is the dearest part
 * of delivery. A listener bean that is not instantiated yet counts as an audience, so
 * nothing is ever missed.
 */
class NotificationEventAudience implements ApplicationListener<ContextRefreshedEvent> {

	private static final ResolvableType EVENT_TYPE = ResolvableType.forClass(PgNotificationEvent.class);

	private final PgListenerContainer listener;

	NotificationEventAudience(PgListenerContainer listener) {
		this.listener = listener;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		this.listener.setPublishNotificationEvents(hasAudience(event.getApplicationContext()));
	}

	static boolean hasAudience(ApplicationContext context) {
		for (ApplicationContext current = context; current != null; current = current.getParent()) {
			if (!(current instanceof AbstractApplicationContext configurable)) {
				return true;
			}
			for (ApplicationListener<?> candidate : configurable.getApplicationListeners()) {
				if (candidate instanceof NotificationEventAudience) {
					continue;
				}
				GenericApplicationListener generic = (candidate instanceof GenericApplicationListener g) ? g
						: new GenericApplicationListenerAdapter(candidate);
				if (generic.supportsEventType(EVENT_TYPE)) {
					return true;
				}
			}
			for (String name : configurable.getBeanFactory()
				.getBeanNamesForType(ApplicationListener.class, true, false)) {
				if (configurable.getBeanFactory().containsSingleton(name)) {
					continue;
				}
				// not instantiated yet (lazy, or a prototype): receives the event if its
				// type allows it
				Class<?> type = configurable.getBeanFactory().getType(name);
				ResolvableType declared = (type != null)
						? ResolvableType.forClass(type).as(ApplicationListener.class).getGeneric()
						: ResolvableType.NONE;
				if (declared.resolve() == null || declared.isAssignableFrom(EVENT_TYPE)) {
					return true;
				}
			}
		}
		return false;
	}

}
