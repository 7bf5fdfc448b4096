package io.virga.gateway.instance.action;

import io.virga.gateway.auth.Caller;
import io.virga.gateway.instance.Instance;
import java.sql.Connection;
import java.util.Set;

/**
 * Starts the workflow of some instance actions (snapshot, rebuild, the moves).
 * CDI beans implementing it are found by {@link ActionService} by
 * {@link #actions()}; the lock, state table and host trait checks are done
 * before {@link #prepare} is called.
 */
public interface ActionStarter {
    /** The actions this starter handles. */
    Set<InstanceAction> actions();

    /**
     * Everything the action needs that is checked or looked up remotely (an
     * image, a flavor, the host's liveness, network VNIs), outside any
     * transaction. Throws the 4xx/409 {@link io.virga.gateway.error.ApiException}
     * before anything changes.
     *
     * @return what to do in the request's transaction
     */
    Start prepare(Caller caller, Instance instance, ActionRequest request);

    /** The transactional part of starting an action. */
    @FunctionalInterface
    interface Start {
        /**
         * In the request's transaction, after the operation {@code operationId}
         * was inserted: starts the workflow (and writes its records, the task,
         * the status it moves to).
         *
         * @param current the instance as read in this transaction (its checks passed again)
         * @return the instance as it is afterwards
         */
        Instance run(Connection c, Instance current, String operationId) throws Exception;
    }
}
