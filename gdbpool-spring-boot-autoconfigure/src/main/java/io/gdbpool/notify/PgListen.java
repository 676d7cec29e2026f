package io.gdbpool.notify;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a bean method as a handler of PostgreSQL notifications on one or more channels.
 * <p>
 * The method's first parameter is bound from each notification:
 * <ul>
 * <li>{@link PgNotification}: the notification itself;</li>
 * <li>{@code String}: its payload;</li>
 * <li>{@code Map<String, String>}: its payload in gDBPool's {@code k1:v1|k2:v2}
 * format;</li>
 * <li>any other type: its payload read as JSON through the application's Jackson
 * mapper.</li>
 * </ul>
 * <p>
 * A method that takes the payload may take the {@link PgNotification} as a second
 * parameter, for the channel, the sender's pid and the time it was received, as Spring
 * listener methods take a payload and its headers:
 * {@code void onChange(SeatChange change, PgNotification notification)}. Any other
 * signature (no parameter, more than two, a second parameter that is not a
 * {@code PgNotification}, the notification twice) fails start-up naming the method.
 * <p>
 * Notifications of one channel reach the method in the order PostgreSQL delivered them.
 * An exception thrown by the method is logged and counted; later notifications still
 * arrive.
 * <p>
 * Ready for AOT processing and native images: the method and the types its payload is
 * read into get their reflection hints from {@link PgListenReflectiveProcessor}.
 *
 * @see PgNotificationListener
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(PgListenReflectiveProcessor.class)
public @interface PgListen {

	/**
	 * Channels to listen on, used exactly as written (case kept). {@code ${…}}
	 * placeholders are resolved against the environment.
	 * @return the channel names
	 */
	String[] value();

}
