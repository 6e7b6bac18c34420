/** Uploads refused by moderation (a block, a hash list, a ban), counted per day for the refused-uploads report. */
package pomf.refusals;
