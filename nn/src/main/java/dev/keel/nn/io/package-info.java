/** Model files: safetensors reading and writing, and the small JSON codec they need. */
package dev.keel.nn.io;
