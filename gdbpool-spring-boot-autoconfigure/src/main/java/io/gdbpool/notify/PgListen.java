package io.gdbpool.notify;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as a handler of PostgreSQL notifications on one or more channels.
 * <p>
 * The method takes exactly one parameter, bound from each notification:
 * <ul>
 * <li>{@link PgNotification}: the notification itself;</li>
 * <li>{@code String}: its payload;</li>
 * <li>{@code Map<String, String>}: its payload in gDBPool's {@code k1:v1|k2:v2}
 * format;</li>
 * <li>any other type: its payload read as JSON through the application's Jackson
 * mapper.</li>
 * </ul>
 * Notifications of one channel reach the method in the order PostgreSQL delivered them.
 * An exception thrown by the method is logged and counted; later notifications still
 * arrive.
 *
 * @see PgNotificationListener
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PgListen {

	/**
	 * Channels to listen on, used exactly as written (case kept). {@code ${…}}
	 * placeholders are resolved against the environment.
	 * @return the channel names
	 */
	String[] value();

}
