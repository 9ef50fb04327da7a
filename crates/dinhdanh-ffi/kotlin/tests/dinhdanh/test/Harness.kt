package dinhdanh.test

// A test runner in a few lines, so the suite needs no Gradle and no JUnit
// launcher: each case is a named lambda; kotlin.test's assertions throw
// AssertionError; the last line is "kotlin: N passed, N failed, N skipped".

/** Thrown by [skip]: the case could not run here. */
class Skipped(reason: String) : Exception(reason)

/**
 * Skips the case, saying why, unless `DINHDANH_TEST_REQUIRE_PCSC=1` (CI):
 * then a PC/SC case that cannot run is a failure.
 */
fun skipPcsc(reason: String): Nothing {
    if (System.getenv("DINHDANH_TEST_REQUIRE_PCSC") == "1") {
        throw AssertionError("the PC/SC test is required: $reason")
    }
    throw Skipped(reason)
}

/** The cases of the suite, in the order they were declared. */
class Suite {
    private val cases = mutableListOf<Pair<String, () -> Unit>>()

    /** Declares a case. */
    fun test(
        name: String,
        body: () -> Unit,
    ) {
        cases += name to body
    }

    /**
     * Runs every case whose name contains [filter] (all when null) and
     * prints one line each and the totals; true when none failed and at
     * least one passed.
     */
    fun run(filter: String?): Boolean {
        var passed = 0
        var failed = 0
        var skipped = 0
        for ((name, body) in cases) {
            if (filter != null && filter !in name) continue
            try {
                body()
                passed++
                println("ok       $name")
            } catch (e: Skipped) {
                skipped++
                println("skipped  $name: ${e.message}")
            } catch (e: Throwable) {
                failed++
                println("FAILED   $name: $e")
                e.printStackTrace(System.out)
            }
        }
        println("kotlin: $passed passed, $failed failed, $skipped skipped")
        return failed == 0 && passed > 0
    }
}
