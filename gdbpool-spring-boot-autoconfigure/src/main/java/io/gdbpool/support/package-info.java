/**
 * Small pieces every package of the library may use: masking credentials in urls, and
 * telling failures that mean a lost database session from others. It depends on nothing
 * else of the library.
 */
@NullMarked
package io.gdbpool.support;

import org.jspecify.annotations.NullMarked;
