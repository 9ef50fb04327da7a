package dinhdanh.test

import kotlin.system.exitProcess

/**
 * The Kotlin suite of the binding (scripts/test-kotlin): every case, or
 * those whose name contains the first argument.
 */
fun main(args: Array<String>) {
    val suite = Suite()
    readTests(suite)
    isoDepTests(suite)
    pcscTests(suite)
    exitProcess(if (suite.run(args.firstOrNull())) 0 else 1)
}
