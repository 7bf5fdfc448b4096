package io.virga.gateway.workflow;

/**
 * Marks exceptions meaning "the resource changed under the step" (a lost
 * compare-and-set, a transition that is no longer allowed): the runner rolls
 * the outcome back and runs the step again at once, on the fresh resource.
 */
public interface ConcurrentChange {
}
