/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the loading half of LbLoadedStudy (lb-loaded-study-load.c).
 */
#pragma once

#include "lb-loaded-study.h"

G_BEGIN_DECLS

/* Loads may overlap; "loading" is TRUE while any runs. */
void _lb_loaded_study_begin_load (LbLoadedStudy *self);
void _lb_loaded_study_end_load (LbLoadedStudy *self);
/* Every series that has not said so is complete: nothing more will arrive. */
void _lb_loaded_study_mark_complete (LbLoadedStudy *self);

G_END_DECLS
