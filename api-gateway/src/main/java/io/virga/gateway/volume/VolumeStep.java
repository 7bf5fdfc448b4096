package io.virga.gateway.volume;

import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;

/** A step of a volume workflow, written as a lambda (resource = the volume id). */
final class VolumeStep implements Step<String, VolumeFlowData> {
    interface Body {
        StepResult run(StepContext<String, VolumeFlowData> ctx) throws Exception;
    }

    private final String name;
    private final String what;
    private final boolean cleanup;
    private final Body body;

    VolumeStep(String name, String what, boolean cleanup, Body body) {
        this.name = name;
        this.what = what;
        this.cleanup = cleanup;
        this.body = body;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String what() {
        return what;
    }

    @Override
    public boolean cleanup() {
        return cleanup;
    }

    @Override
    public StepResult run(StepContext<String, VolumeFlowData> ctx) throws Exception {
        return body.run(ctx);
    }
}
