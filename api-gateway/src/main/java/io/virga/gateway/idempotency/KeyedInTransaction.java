package io.virga.gateway.idempotency;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a POST resource method: the method records its {@code Idempotency-Key}
 * answer itself, in the transaction of the work it guards
 * ({@link IdempotencyScope#guard()}), so that the work and the key's outcome
 * commit together. No in-progress claim is written before the work: a gateway
 * killed mid-request leaves either both (a retry replays the answer) or
 * neither (a retry runs the request), never a claim that blocks retries.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface KeyedInTransaction {
}
