package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakePredicate;

import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class IcebergPredicatesTest {

    /** A literal type Iceberg filters cannot take. */
    private static final Object UNSUPPORTED = new StringBuilder("x");

    @Test
    void translatesComparisonsNullChecksAndCombinations() {
        Expression expression =
                IcebergPredicates.toExpression(
                        List.of(
                                LakePredicate.or(
                                        LakePredicate.equal("id", 7L),
                                        LakePredicate.not(LakePredicate.isNull("name"))),
                                LakePredicate.lessThan("day", LocalDate.of(1970, 1, 11))));

        assertThat(expression.toString())
                .isEqualTo(
                        Expressions.and(
                                        Expressions.or(
                                                Expressions.equal("id", 7L),
                                                Expressions.not(Expressions.isNull("name"))),
                                        Expressions.lessThan("day", 10))
                                .toString());
    }

    @Test
    void dropsUntranslatableConjunctsButNotPartsOfDisjunctionsOrNegations() {
        LakePredicate untranslatable = LakePredicate.equal("x", UNSUPPORTED);

        assertThat(
                        IcebergPredicates.toExpression(
                                        List.of(
                                                LakePredicate.and(
                                                        untranslatable,
                                                        LakePredicate.greaterThan("id", 1L))))
                                .toString())
                .isEqualTo(Expressions.greaterThan("id", 1L).toString());
        assertThat(
                        IcebergPredicates.translate(
                                LakePredicate.or(untranslatable, LakePredicate.isNull("id")), true))
                .isEqualTo(Optional.empty());
        assertThat(
                        IcebergPredicates.translate(
                                LakePredicate.not(
                                        LakePredicate.and(
                                                untranslatable, LakePredicate.isNull("id"))),
                                true))
                .isEqualTo(Optional.empty());
        assertThat(IcebergPredicates.toExpression(List.of(untranslatable)))
                .isEqualTo(Expressions.alwaysTrue());
    }

    @Test
    void predicatesNameTheirColumns() {
        LakePredicate predicate =
                LakePredicate.and(
                        LakePredicate.equal("a", 1),
                        LakePredicate.not(LakePredicate.or(LakePredicate.isNull("b"))));

        assertThat(predicate.columns()).containsExactly("a", "b");
    }
}
