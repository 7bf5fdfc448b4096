package io.virga.gateway.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import io.virga.platform.grpc.GrpcErrors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GrpcProblemsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "NOT_FOUND, 404",
        "FAILED_PRECONDITION, 409",
        "ALREADY_EXISTS, 409",
        "RESOURCE_EXHAUSTED, 409",
        "UNAVAILABLE, 503",
        "DEADLINE_EXCEEDED, 503",
        "PERMISSION_DENIED, 403",
        "INTERNAL, 502",
        "UNKNOWN, 502",
    })
    void statusCodesMapToHttp(Status.Code code, int http) {
        ApiException e = GrpcProblems.from(Status.fromCode(code).withDescription("something").asRuntimeException());
        assertEquals(http, e.status());
    }

    @Test
    void invalidArgumentNamesTheField() {
        ApiException e = GrpcProblems.from(GrpcErrors.invalidArgument("cidr", "overlaps 10.0.0.0/24"));
        assertEquals(400, e.status());
        assertEquals(List.of(new FieldError("cidr", "overlaps 10.0.0.0/24")), e.errors());
    }

    @Test
    void everyFieldViolationOfTheDetailsBecomesAFieldError() {
        ApiException e = GrpcProblems.from(GrpcErrors.invalid(List.of(
                new GrpcErrors.Violation("cidr", "must be an IPv4 CIDR"),
                new GrpcErrors.Violation("gateway_ip", "must lie inside cidr"))));
        assertEquals(400, e.status());
        assertEquals(List.of(new FieldError("cidr", "must be an IPv4 CIDR"),
                new FieldError("gateway_ip", "must lie inside cidr")), e.errors());
    }

    @Test
    void aPeerWithoutDetailsIsReadFromItsDescription() {
        ApiException e = GrpcProblems.from(Status.INVALID_ARGUMENT.withDescription("size_gb: must be positive")
                .asRuntimeException());
        assertEquals(List.of(new FieldError("size_gb", "must be positive")), e.errors());
    }

    @Test
    void invalidArgumentWithoutFieldStillIs400() {
        ApiException e = GrpcProblems.from(Status.INVALID_ARGUMENT.withDescription("bad things happened")
                .asRuntimeException());
        assertEquals(400, e.status());
        assertEquals("request", e.errors().get(0).field());
    }

    @Test
    void notFoundKeepsTheServiceMessage() {
        assertEquals("volume v-1 not found", GrpcProblems.from(GrpcErrors.notFound("volume", "v-1")).detail());
    }

    @Test
    void aServicesQuotaRefusalIsA403QuotaExceededNamingTheResource() {
        ApiException e = GrpcProblems.from(GrpcErrors.exhausted("quota exceeded: gigabytes 998 + 5 > 1000"));
        assertEquals(403, e.status());
        assertEquals("https://virga.dev/problems/quota-exceeded", e.type());
        assertEquals("quota exceeded: gigabytes 998 + 5 > 1000", e.detail());
    }
}
