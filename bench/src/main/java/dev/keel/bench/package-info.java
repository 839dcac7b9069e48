/** JMH benchmarks. */
package dev.keel.bench;
