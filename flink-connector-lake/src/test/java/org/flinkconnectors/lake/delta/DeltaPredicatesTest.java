package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakePredicate;

import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Lake predicates become Kernel predicates with literals of the column's type, or nothing. */
class DeltaPredicatesTest {

    private static final StructType SCHEMA =
            new StructType()
                    .add("id", LongType.LONG)
                    .add("qty", IntegerType.INTEGER)
                    .add("name", StringType.STRING)
                    .add("price", new DecimalType(6, 2));

    @Test
    void literalsTakeTheTypeOfTheirColumn() {
        assertThat(translate(LakePredicate.greaterThan("id", 5)))
                .hasValueSatisfying(p -> assertThat(p.toString()).isEqualTo("(column(`id`) > 5)"));
        assertThat(translate(LakePredicate.equal("qty", 7L))).isPresent();
        assertThat(translate(LakePredicate.equal("price", new BigDecimal("1.5"))))
                .hasValueSatisfying(p -> assertThat(p.toString()).contains("1.50"));
    }

    @Test
    void unconvertibleLiteralsAndUnknownColumnsAreNotTranslated() {
        assertThat(translate(LakePredicate.equal("qty", 5_000_000_000L))).isEmpty();
        assertThat(translate(LakePredicate.equal("price", new BigDecimal("1.234")))).isEmpty();
        assertThat(translate(LakePredicate.equal("name", 3))).isEmpty();
        assertThat(translate(LakePredicate.isNull("missing"))).isEmpty();
    }

    @Test
    void conjunctionsWeakenButDisjunctionsAndNegationsDoNot() {
        LakePredicate untranslatable = LakePredicate.equal("name", 3);
        LakePredicate idFilter = LakePredicate.lessThan("id", 10L);

        assertThat(
                        DeltaPredicates.toPredicate(
                                List.of(untranslatable, idFilter, LakePredicate.isNull("name")),
                                SCHEMA))
                .hasValueSatisfying(
                        p ->
                                assertThat(p.toString())
                                        .isEqualTo(
                                                "((column(`id`) < 10) AND IS_NULL(column(`name`)))"));
        assertThat(translate(LakePredicate.or(idFilter, untranslatable))).isEmpty();
        assertThat(translate(LakePredicate.not(LakePredicate.and(idFilter, untranslatable))))
                .isEmpty();
        assertThat(translate(LakePredicate.not(idFilter)))
                .hasValueSatisfying(
                        p -> assertThat(p.toString()).isEqualTo("NOT((column(`id`) < 10))"));
    }

    private static Optional<Predicate> translate(LakePredicate predicate) {
        return DeltaPredicates.toPredicate(List.of(predicate), SCHEMA);
    }
}
