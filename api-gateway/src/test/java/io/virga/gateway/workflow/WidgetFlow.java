package io.virga.gateway.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.time.Instant;
import jakarta.inject.Singleton;

/**
 * A flow for tests of the engine, and the smallest example of one: a
 * "widget" (no table: the resource is its id) waits for a {@code poke}
 * observation, then finishes with what it was told. Data version 2 renamed
 * {@code hello} to {@code greeting}.
 */
@Singleton
public class WidgetFlow extends StepTable<String, WidgetFlow.Data> {
    public static final String NAME = "widget.poke";
    public static final String WAIT = "wait_poke";
    public static final String FINISH = "finish";

    /** Version 2 of the data. */
    public static final class Data {
        public String greeting;
        public String poked;
    }

    public WidgetFlow() {
        add(new Step<>() {
            @Override
            public String name() {
                return WAIT;
            }

            @Override
            public String what() {
                return "waiting for a poke";
            }

            @Override
            public StepResult run(StepContext<String, Data> ctx) {
                var poke = ctx.observations().stream().filter(o -> o.kind().equals("poke")).findFirst();
                if (poke.isEmpty()) {
                    return StepResult.waitUntil(Instant.now().plusSeconds(3600), "waiting for a poke");
                }
                ctx.data().poked = poke.get().get("by");
                return new StepResult.Next(FINISH, Instant.now(), "poked by " + ctx.data().poked, TxWork.NONE, true);
            }
        });
        add(new Step<>() {
            @Override
            public String name() {
                return FINISH;
            }

            @Override
            public String what() {
                return "finishing";
            }

            @Override
            public StepResult run(StepContext<String, Data> ctx) {
                return StepResult.succeed(ctx.data().greeting + ", poked by " + ctx.data().poked, TxWork.NONE);
            }
        });
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String resourceType() {
        return "widget";
    }

    @Override
    public Class<Data> dataType() {
        return Data.class;
    }

    @Override
    public int dataVersion() {
        return 2;
    }

    @Override
    public ObjectNode upgrade(ObjectNode data, int from) {
        if (from == 1) {
            data.set("greeting", data.remove("hello"));
            return data;
        }
        return super.upgrade(data, from);
    }

    @Override
    public String firstStep() {
        return WAIT;
    }

    @Override
    public String firstCompensationStep() {
        throw new IllegalStateException("widgets do not compensate");
    }

    @Override
    public String load(Connection c, String resourceId) {
        return resourceId;
    }
}
