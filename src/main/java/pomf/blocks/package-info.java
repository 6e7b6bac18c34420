/** Address blocks (a range, why, by whom, until when): held in memory and checked on every upload and tus request. */
package pomf.blocks;
