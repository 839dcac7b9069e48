/** See the module documentation. */
package dev.keel.nn.loss;
