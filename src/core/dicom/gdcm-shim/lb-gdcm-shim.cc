/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GDCM behind a C interface.  Every entry point catches every exception.  Two GDCM
 * behaviours shape this file:
 *
 * - gdcm::Reader allocates each element's declared length before reading it, so a
 *   header that claims 4 GiB makes a 4 GiB allocation (and zero-fills it).  While GDCM
 *   parses, the global allocator refuses any single allocation larger than the file.
 * - gdcm::ImageRegionReader ignores codec failures and reads past the end of native
 *   data, so frames are decoded here from the fragments of that frame only.
 * - Debian builds GDCM with assertions on, and some fire on malformed input.  An abort
 *   on a bad file is not acceptable in a viewer, so assertion failures inside a guarded
 *   call jump back to the call's entry point, which reports the file as damaged.  What
 *   GDCM had allocated in the abandoned frames leaks; that is the price of not crashing.
 */
#include "lb-gdcm-shim.h"

#include <gdcmBitmap.h>
#include <gdcmDataSet.h>
#include <gdcmDicts.h>
#include <gdcmFile.h>
#include <gdcmFileMetaInformation.h>
#include <gdcmGlobal.h>
#include <gdcmImage.h>
#include <gdcmImageChangeTransferSyntax.h>
#include <gdcmJPEG2000Codec.h>
#include <gdcmJPEGCodec.h>
#include <gdcmJPEGLSCodec.h>
#include <gdcmReader.h>
#include <gdcmSequenceOfFragments.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmStringFilter.h>
#include <gdcmTrace.h>
#include <gdcmUIDGenerator.h>
#include <gdcmWriter.h>

#include <algorithm>
#include <csetjmp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <pthread.h>
#include <set>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include <time.h>

namespace {

/* Quitting while another thread parses or decodes: exit() destroys GDCM's static
 * dictionaries, and a thread still inside GDCM then reads freed memory.  Every entry
 * point that works in GDCM holds a Ticket; at exit the gate closes (later calls fail as
 * if the file could not be read) and waits, a few seconds at most, until no thread is
 * inside.  Plain pthread objects: they have no destructor to run at exit themselves. */
pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t gate_empty = PTHREAD_COND_INITIALIZER;
unsigned gate_inside = 0;
bool gate_closed = false;
constexpr int GATE_WAIT_SECONDS = 5;

class Ticket
{
public:
  Ticket ()
  {
    pthread_mutex_lock (&gate_lock);
    admitted_ = !gate_closed;
    if (admitted_)
      gate_inside++;
    pthread_mutex_unlock (&gate_lock);
  }
  ~Ticket ()
  {
    if (!admitted_)
      return;
    pthread_mutex_lock (&gate_lock);
    if (--gate_inside == 0)
      pthread_cond_broadcast (&gate_empty);
    pthread_mutex_unlock (&gate_lock);
  }
  Ticket (const Ticket &) = delete;
  Ticket &operator= (const Ticket &) = delete;
  explicit operator bool () const { return admitted_; }

private:
  bool admitted_ = false;
};

void
close_gate (void)
{
  struct timespec deadline;
  clock_gettime (CLOCK_REALTIME, &deadline);
  deadline.tv_sec += GATE_WAIT_SECONDS;
  pthread_mutex_lock (&gate_lock);
  gate_closed = true;
  while (gate_inside > 0 &&
         pthread_cond_timedwait (&gate_empty, &gate_lock, &deadline) != ETIMEDOUT)
    ;
  pthread_mutex_unlock (&gate_lock);
}

const char CLOSED[] = "the program is quitting";

thread_local sigjmp_buf *assert_trap = nullptr;
thread_local const char *assert_text = nullptr;
/* While GDCM parses untrusted bytes, no single allocation may exceed this (0: no cap). */
thread_local size_t allocation_cap = 0;
thread_local bool allocation_refused = false;

/* Runs @body with allocations capped at @cap bytes; returns false with the failed
 * assertion in @what when GDCM asserts.  Keep what must be freed in the caller's frame:
 * the frames between here and the assertion are abandoned. */
template <typename Body>
bool
guarded (size_t cap, Body &&body, std::string &what)
{
  sigjmp_buf trap;
  sigjmp_buf *outer = assert_trap;
  size_t outer_cap = allocation_cap;
  if (sigsetjmp (trap, 0))
    {
      assert_trap = outer;
      allocation_cap = outer_cap;
      what = assert_text ? assert_text : "assertion";
      return false;
    }
  struct Restore
  {
    sigjmp_buf *outer;
    size_t outer_cap;
    ~Restore ()
    {
      assert_trap = outer;
      allocation_cap = outer_cap;
    }
  } restore{ outer, outer_cap };
  assert_trap = &trap;
  allocation_cap = cap;
  allocation_refused = false;
  body ();
  return true;
}

/* A read-only, seekable stream over caller memory.  Seeking beyond the end fails and
 * is remembered, and so is a read that finds only part of what it asked for: that is
 * how a value longer than the file is caught. */
class MemoryBuf : public std::streambuf
{
public:
  MemoryBuf (const char *data, size_t length)
  {
    char *p = const_cast<char *> (data);
    setg (p, p, p + length);
  }

  bool overran = false;

protected:
  pos_type
  seekoff (off_type off, std::ios_base::seekdir dir, std::ios_base::openmode) override
  {
    off_type base;
    if (dir == std::ios_base::beg)
      base = 0;
    else if (dir == std::ios_base::cur)
      base = gptr () - eback ();
    else
      base = egptr () - eback ();
    off_type target = base + off;
    if (target < 0 || target > egptr () - eback ())
      {
        if (target > egptr () - eback ())
          overran = true;
        return pos_type (off_type (-1));
      }
    setg (eback (), eback () + target, egptr ());
    return pos_type (target);
  }

  pos_type
  seekpos (pos_type pos, std::ios_base::openmode which) override
  {
    return seekoff (off_type (pos), std::ios_base::beg, which);
  }

  std::streamsize
  xsgetn (char *s, std::streamsize n) override
  {
    std::streamsize avail = egptr () - gptr ();
    /* Asking past the end for the next tag is how every file ends; a value that stops
     * part way is a cut (GDCM pads cut fragments and pixel data and carries on).  GDCM
     * uses some short reads without looking at the stream (a VR cut after one byte), so
     * what was not there reads as zeros rather than as whatever its buffer held. */
    if (n > avail)
      {
        if (avail > 0)
          overran = true;
        std::memset (s + avail, 0, (size_t) (n - avail));
        n = avail;
      }
    std::memcpy (s, gptr (), (size_t) n);
    gbump ((int) n);
    return n;
  }
};

char *
dup_message (const std::string &s)
{
  char *m = static_cast<char *> (std::malloc (s.size () + 1));
  if (m)
    std::memcpy (m, s.c_str (), s.size () + 1);
  return m;
}

void
set_error (LbGdcmStatus *status, char **message, LbGdcmStatus code, const std::string &text)
{
  if (status)
    *status = code;
  if (message)
    *message = dup_message (text);
}

gdcm::Tag
to_tag (uint32_t tag)
{
  return gdcm::Tag ((uint16_t) (tag >> 16), (uint16_t) (tag & 0xffff));
}

const gdcm::DataSet *
as_ds (const LbGdcmDataSet *ds)
{
  return reinterpret_cast<const gdcm::DataSet *> (ds);
}

const LbGdcmDataSet *
as_handle (const gdcm::DataSet *ds)
{
  return reinterpret_cast<const LbGdcmDataSet *> (ds);
}

/* Does a fragment start a frame?  JPEG and JPEG-LS start with SOI, JPEG 2000 with SOC
 * (or a JP2 signature box). */
bool
fragment_starts_frame (const gdcm::Fragment &frag)
{
  const gdcm::ByteValue *bv = frag.GetByteValue ();
  if (!bv || bv->GetLength () < 4)
    return false;
  const unsigned char *p = reinterpret_cast<const unsigned char *> (bv->GetPointer ());
  if (p[0] == 0xff && (p[1] == 0xd8 || p[1] == 0x4f))
    return true;
  return p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0x0c;
}

/* The element's value when it was read as a sequence (explicit VR, or undefined
 * length); NULL when GDCM kept it as bytes. */
const gdcm::SequenceOfItems *
stored_sequence (const gdcm::DataElement &de)
{
  if (de.IsEmpty ())
    return nullptr;
  return dynamic_cast<const gdcm::SequenceOfItems *> (&de.GetValue ());
}

} /* namespace */

/* GDCM sizes a value's buffer from the length its header claims, before reading it,
 * and some of its parsing paths do so even when told to skip values: a 70-byte file can
 * make it zero-fill 2 GiB.  Replacing the global allocator is the one place to refuse
 * such a request; outside guarded calls it is plain malloc. */
void *
operator new (std::size_t size)
{
  if (allocation_cap != 0 && size > allocation_cap)
    {
      allocation_refused = true;
      throw std::bad_alloc ();
    }
  void *p = std::malloc (size ? size : 1);
  if (p == nullptr)
    throw std::bad_alloc ();
  return p;
}

/* Every form is replaced, so that no allocator that is not ours (a sanitizer's, say)
 * ever sees memory from ours. */
void *
operator new[] (std::size_t size)
{
  return ::operator new (size);
}

void *
operator new (std::size_t size, const std::nothrow_t &) noexcept
{
  try
    {
      return ::operator new (size);
    }
  catch (...)
    {
      return nullptr;
    }
}

void *
operator new[] (std::size_t size, const std::nothrow_t &) noexcept
{
  return ::operator new (size, std::nothrow);
}

void
operator delete (void *p) noexcept
{
  std::free (p);
}

void
operator delete[] (void *p) noexcept
{
  std::free (p);
}

void
operator delete (void *p, std::size_t) noexcept
{
  std::free (p);
}

void
operator delete[] (void *p, std::size_t) noexcept
{
  std::free (p);
}

void
operator delete (void *p, const std::nothrow_t &) noexcept
{
  std::free (p);
}

void
operator delete[] (void *p, const std::nothrow_t &) noexcept
{
  std::free (p);
}

extern "C" __attribute__ ((__noreturn__)) void
__assert_fail (const char *assertion, const char *file, unsigned int line,
               const char *function) noexcept
{
  if (assert_trap)
    {
      assert_text = assertion;
      siglongjmp (*assert_trap, 1);
    }
  std::fprintf (stderr, "%s:%u: %s: Assertion `%s' failed.\n", file, line, function, assertion);
  std::fflush (stderr);
  std::abort ();
}

struct _LbGdcmReader
{
  gdcm::Reader reader;
  gdcm::StringFilter filter;
  std::mutex lock; /* guards sequences */
  /* Sequences GDCM parsed on demand from implicit or UN values; kept so the items
   * handed out stay valid. */
  std::map<const gdcm::DataElement *, gdcm::SmartPointer<gdcm::SequenceOfItems>> sequences;
  /* Fragment ranges per frame, computed on the first encapsulated decode. */
  std::vector<std::pair<uint32_t, uint32_t>> frame_fragments;
  bool frames_mapped = false;
  /* Fallback when fragments cannot be mapped to frames: the whole image, once. */
  std::vector<char> whole;
  std::string whole_photometric;
  uint16_t whole_planar = 0;
};

struct _LbGdcmItem
{
  gdcm::DataSet ds;
};

struct _LbGdcmWriter
{
  _LbGdcmItem root;
  bool has_pixels = false;
  LbGdcmPixelFormat format{};
  std::string photometric;
  std::vector<char> pixels;
};

extern "C" void
lb_gdcm_init (void)
{
  gdcm::Trace::WarningOff ();
  gdcm::Trace::DebugOff ();
  gdcm::Trace::ErrorOff ();
  /* Loads the dictionaries now rather than racing for them on first use. */
  (void) gdcm::Global::GetInstance ().GetDicts ();
  /* Registered after GDCM's own static objects, so it runs before they are destroyed. */
  std::atexit (close_gate);
}

extern "C" LbGdcmReader *
lb_gdcm_reader_open_memory (const void *data, size_t length, LbGdcmStatus *status,
                            char **message)
{
  if (status)
    *status = LB_GDCM_OK;
  if (message)
    *message = nullptr;
  Ticket ticket;
  if (!ticket)
    {
      set_error (status, message, LB_GDCM_ERR_INTERNAL, CLOSED);
      return nullptr;
    }
  const char *bytes = static_cast<const char *> (data);
  bool has_magic = length >= 132 && std::memcmp (bytes + 128, "DICM", 4) == 0;
  std::string assertion;
  try
    {
      std::unique_ptr<_LbGdcmReader> r;
      bool ok = false, overran = false, refused = false, deflated = false, walked = false;
      /* No value of a file can be larger than the file; a deflated data set's values can,
       * but deflate expands 1032 times at most: a deflated file whose first read was
       * refused an allocation is read again with that cap. */
      size_t caps[] = { length + 4096, std::min<size_t> ((size_t) 1 << 30, length * 1032 + 4096) };
      for (size_t cap : caps)
        {
          r.reset (new _LbGdcmReader ());
          MemoryBuf buf (bytes, length);
          std::istream is (&buf);
          r->reader.SetStream (is);
          walked = guarded (cap, [&] { ok = r->reader.Read (); }, assertion);
          refused = allocation_refused;
          overran = buf.overran;
          deflated = r->reader.GetFile ().GetHeader ().GetDataSetTransferSyntax () ==
                     gdcm::TransferSyntax::DeflatedExplicitVRLittleEndian;
          if (!deflated || !refused)
            break;
        }
      if (!walked)
        {
          set_error (status, message, has_magic ? LB_GDCM_ERR_CORRUPT : LB_GDCM_ERR_NOT_DICOM,
                     has_magic ? "the DICOM structure is broken (" + assertion + ")"
                               : std::string ("not a DICOM file"));
          return nullptr;
        }
      /* Without the DICM magic and without a clean read, it is most likely not DICOM at all
       * (a text file whose first bytes read as an absurd length, say). */
      if (!has_magic && (!ok || refused || overran))
        {
          set_error (status, message, LB_GDCM_ERR_NOT_DICOM, "not a DICOM file");
          return nullptr;
        }
      /* Inflating reads whole blocks, so the last read of a deflated file is always short;
       * zlib itself reports a cut deflate stream. */
      if (refused || (overran && !deflated))
        {
          set_error (status, message, LB_GDCM_ERR_CORRUPT,
                     "an element is longer than the rest of the file (the file is cut short "
                     "or its lengths are wrong)");
          return nullptr;
        }
      if (!ok)
        {
          set_error (status, message, LB_GDCM_ERR_CORRUPT, "the DICOM structure is broken");
          return nullptr;
        }
      /* The stream is gone after this call; everything needed has been read. */
      r->filter.SetFile (r->reader.GetFile ());
      return r.release ();
    }
  catch (const std::bad_alloc &)
    {
      if (allocation_refused)
        set_error (status, message, LB_GDCM_ERR_CORRUPT,
                   "an element claims to be longer than the whole file");
      else
        set_error (status, message, LB_GDCM_ERR_NO_MEMORY, "out of memory while reading");
    }
  catch (const std::exception &e)
    {
      set_error (status, message, has_magic ? LB_GDCM_ERR_CORRUPT : LB_GDCM_ERR_NOT_DICOM,
                 std::string ("cannot parse: ") + e.what ());
    }
  catch (...)
    {
      set_error (status, message, LB_GDCM_ERR_INTERNAL, "unknown error in GDCM");
    }
  return nullptr;
}

extern "C" void
lb_gdcm_reader_free (LbGdcmReader *reader)
{
  Ticket ticket;
  if (!ticket)
    return;
  try
    {
      delete reader;
    }
  catch (...)
    {
    }
}

extern "C" const char *
lb_gdcm_reader_get_transfer_syntax (LbGdcmReader *reader)
{
  try
    {
      const char *s = reader->reader.GetFile ().GetHeader ().GetDataSetTransferSyntax ().GetString ();
      return s ? s : "";
    }
  catch (...)
    {
      return "";
    }
}

extern "C" const LbGdcmDataSet *
lb_gdcm_reader_get_dataset (LbGdcmReader *reader)
{
  return as_handle (&reader->reader.GetFile ().GetDataSet ());
}

extern "C" const LbGdcmDataSet *
lb_gdcm_reader_get_meta (LbGdcmReader *reader)
{
  return as_handle (&reader->reader.GetFile ().GetHeader ());
}

extern "C" int
lb_gdcm_dataset_has (const LbGdcmDataSet *ds, uint32_t tag)
{
  try
    {
      return as_ds (ds)->FindDataElement (to_tag (tag)) ? 1 : 0;
    }
  catch (...)
    {
      return 0;
    }
}

extern "C" char *
lb_gdcm_dataset_get_string (LbGdcmReader *reader, const LbGdcmDataSet *ds, uint32_t tag)
{
  Ticket ticket;
  if (!ticket)
    return nullptr;
  try
    {
      const gdcm::DataSet *d = as_ds (ds);
      gdcm::Tag t = to_tag (tag);
      if (!d->FindDataElement (t))
        return nullptr;
      const gdcm::DataElement &de = d->GetDataElement (t);
      if (de.IsEmpty () || stored_sequence (de) || de.GetSequenceOfFragments ())
        return nullptr;
      std::string s = reader->filter.ToString (de);
      while (!s.empty () && (s.back () == ' ' || s.back () == '\0'))
        s.pop_back ();
      size_t start = 0;
      while (start < s.size () && s[start] == ' ')
        start++;
      if (start == s.size ())
        return nullptr;
      return dup_message (s.substr (start));
    }
  catch (...)
    {
      return nullptr;
    }
}

extern "C" int
lb_gdcm_dataset_get_bytes (const LbGdcmDataSet *ds, uint32_t tag, const uint8_t **data,
                           uint64_t *length)
{
  try
    {
      const gdcm::DataSet *d = as_ds (ds);
      gdcm::Tag t = to_tag (tag);
      if (!d->FindDataElement (t))
        return 0;
      const gdcm::ByteValue *bv = d->GetDataElement (t).GetByteValue ();
      if (!bv)
        return 0;
      *data = reinterpret_cast<const uint8_t *> (bv->GetPointer ());
      *length = bv->GetLength ();
      return 1;
    }
  catch (...)
    {
      return 0;
    }
}

extern "C" void
lb_gdcm_dataset_get_vr (const LbGdcmDataSet *ds, uint32_t tag, char vr[3])
{
  vr[0] = '\0';
  Ticket ticket;
  if (!ticket)
    return;
  try
    {
      const gdcm::DataSet *d = as_ds (ds);
      gdcm::Tag t = to_tag (tag);
      gdcm::VR v = gdcm::VR::INVALID;
      if (d->FindDataElement (t))
        v = d->GetDataElement (t).GetVR ();
      if (v == gdcm::VR::INVALID || v == gdcm::VR::UN)
        v = gdcm::Global::GetInstance ().GetDicts ().GetDictEntry (t).GetVR ();
      const char *s = gdcm::VR::GetVRString (v);
      if (s && std::strlen (s) == 2 && s[0] != '?')
        {
          vr[0] = s[0];
          vr[1] = s[1];
          vr[2] = '\0';
        }
    }
  catch (...)
    {
    }
}

static const gdcm::SequenceOfItems *
find_sequence (LbGdcmReader *reader, const gdcm::DataSet *d, uint32_t tag)
{
  gdcm::Tag t = to_tag (tag);
  if (!d->FindDataElement (t))
    return nullptr;
  const gdcm::DataElement &de = d->GetDataElement (t);
  if (const gdcm::SequenceOfItems *sq = stored_sequence (de))
    return sq;
  std::lock_guard<std::mutex> guard (reader->lock);
  auto it = reader->sequences.find (&de);
  if (it != reader->sequences.end ())
    return it->second.GetPointer ();
  gdcm::SmartPointer<gdcm::SequenceOfItems> sq;
  std::string assertion;
  size_t cap = (de.GetByteValue () ? (size_t) de.GetByteValue ()->GetLength () : 0) + 4096;
  if (!guarded (cap, [&] { sq = de.GetValueAsSQ (); }, assertion) || !sq)
    return nullptr;
  reader->sequences[&de] = sq;
  return sq.GetPointer ();
}

extern "C" uint32_t
lb_gdcm_dataset_get_item_count (LbGdcmReader *reader, const LbGdcmDataSet *ds, uint32_t tag)
{
  Ticket ticket;
  if (!ticket)
    return 0;
  try
    {
      const gdcm::SequenceOfItems *sq = find_sequence (reader, as_ds (ds), tag);
      return sq ? (uint32_t) sq->GetNumberOfItems () : 0;
    }
  catch (...)
    {
      return 0;
    }
}

extern "C" const LbGdcmDataSet *
lb_gdcm_dataset_get_item (LbGdcmReader *reader, const LbGdcmDataSet *ds, uint32_t tag,
                          uint32_t index)
{
  Ticket ticket;
  if (!ticket)
    return nullptr;
  try
    {
      const gdcm::SequenceOfItems *sq = find_sequence (reader, as_ds (ds), tag);
      if (!sq || index >= sq->GetNumberOfItems ())
        return nullptr;
      return as_handle (&sq->GetItem (index + 1).GetNestedDataSet ());
    }
  catch (...)
    {
      return nullptr;
    }
}

extern "C" void
lb_gdcm_reader_get_pixel_data (LbGdcmReader *reader, LbGdcmPixelData *out)
{
  std::memset (out, 0, sizeof *out);
  try
    {
      const gdcm::DataSet &d = reader->reader.GetFile ().GetDataSet ();
      gdcm::Tag t (0x7fe0, 0x0010);
      if (!d.FindDataElement (t))
        return;
      const gdcm::DataElement &de = d.GetDataElement (t);
      out->present = 1;
      if (const gdcm::SequenceOfFragments *sf = de.GetSequenceOfFragments ())
        {
          out->encapsulated = 1;
          out->fragments = (uint32_t) sf->GetNumberOfFragments ();
        }
      else if (const gdcm::ByteValue *bv = de.GetByteValue ())
        {
          out->native = reinterpret_cast<const uint8_t *> (bv->GetPointer ());
          out->native_length = bv->GetLength ();
        }
    }
  catch (...)
    {
      std::memset (out, 0, sizeof *out);
    }
}

/* Which fragments hold which frame: one frame per fragment; everything for one frame;
 * the Basic Offset Table; or fragments that begin with a codestream marker. */
static bool
map_frames (LbGdcmReader *reader, const gdcm::SequenceOfFragments &sf, uint32_t frames)
{
  auto &map = reader->frame_fragments;
  map.clear ();
  uint32_t n = (uint32_t) sf.GetNumberOfFragments ();
  if (n == 0 || frames == 0)
    return false;
  if (frames == 1)
    {
      map.emplace_back (0, n);
      return true;
    }
  if (n == frames)
    {
      for (uint32_t i = 0; i < n; i++)
        map.emplace_back (i, 1);
      return true;
    }

  const gdcm::BasicOffsetTable &bot = sf.GetTable ();
  const gdcm::ByteValue *botv = bot.GetByteValue ();
  if (botv && botv->GetLength () == frames * 4u)
    {
      std::vector<uint64_t> starts (n);
      uint64_t pos = 0;
      for (uint32_t i = 0; i < n; i++)
        {
          starts[i] = pos;
          pos += 8 + (uint64_t) sf.GetFragment (i).GetVL ();
        }
      const uint8_t *b = reinterpret_cast<const uint8_t *> (botv->GetPointer ());
      uint32_t frag = 0;
      bool good = true;
      for (uint32_t f = 0; f < frames && good; f++)
        {
          uint32_t off = (uint32_t) b[4 * f] | (uint32_t) b[4 * f + 1] << 8 |
                         (uint32_t) b[4 * f + 2] << 16 | (uint32_t) b[4 * f + 3] << 24;
          while (frag < n && starts[frag] < off)
            frag++;
          if (frag >= n || starts[frag] != off)
            good = false;
          else
            map.emplace_back (frag, 0);
        }
      if (good)
        {
          for (uint32_t f = 0; f < frames; f++)
            {
              uint32_t end = f + 1 < frames ? map[f + 1].first : n;
              if (end <= map[f].first)
                good = false;
              map[f].second = end - map[f].first;
            }
        }
      if (good)
        return true;
      map.clear ();
    }

  std::vector<uint32_t> firsts;
  for (uint32_t i = 0; i < n; i++)
    if (fragment_starts_frame (sf.GetFragment (i)))
      firsts.push_back (i);
  if (firsts.size () == frames && firsts[0] == 0)
    {
      for (uint32_t f = 0; f < frames; f++)
        {
          uint32_t end = f + 1 < frames ? firsts[f + 1] : n;
          map.emplace_back (firsts[f], end - firsts[f]);
        }
      return true;
    }
  return false;
}

static const gdcm::SequenceOfFragments *
pixel_fragments (LbGdcmReader *reader)
{
  const gdcm::DataSet &d = reader->reader.GetFile ().GetDataSet ();
  gdcm::Tag pt (0x7fe0, 0x0010);
  return d.FindDataElement (pt) ? d.GetDataElement (pt).GetSequenceOfFragments () : nullptr;
}

static void
ensure_frames_mapped (LbGdcmReader *reader, const gdcm::SequenceOfFragments &sf, uint32_t frames)
{
  if (!reader->frames_mapped)
    {
      map_frames (reader, sf, frames);
      reader->frames_mapped = true;
    }
}

extern "C" int
lb_gdcm_reader_get_frame_bytes (LbGdcmReader *reader, uint32_t frames, uint32_t index,
                                const uint8_t **data, uint64_t *length, uint8_t **joined,
                                int *whole)
{
  *joined = nullptr;
  *whole = 0;
  Ticket ticket;
  if (!ticket)
    return 0;
  try
    {
      const gdcm::SequenceOfFragments *sf = pixel_fragments (reader);
      if (!sf || index >= frames || sf->GetNumberOfFragments () == 0)
        return 0;
      ensure_frames_mapped (reader, *sf, frames);
      uint32_t first = 0, count = (uint32_t) sf->GetNumberOfFragments ();
      if (reader->frame_fragments.size () == frames)
        {
          first = reader->frame_fragments[index].first;
          count = reader->frame_fragments[index].second;
        }
      else
        *whole = 1;

      uint64_t total = 0;
      for (uint32_t i = 0; i < count; i++)
        {
          const gdcm::ByteValue *bv = sf->GetFragment (first + i).GetByteValue ();
          total += bv ? (uint64_t) bv->GetLength () : 0;
        }
      if (count == 1)
        {
          const gdcm::ByteValue *bv = sf->GetFragment (first).GetByteValue ();
          if (!bv)
            return 0;
          *data = reinterpret_cast<const uint8_t *> (bv->GetPointer ());
          *length = bv->GetLength ();
          return 1;
        }
      *joined = static_cast<uint8_t *> (std::malloc (total ? total : 1));
      if (!*joined)
        return 0;
      uint64_t at = 0;
      for (uint32_t i = 0; i < count; i++)
        {
          const gdcm::ByteValue *bv = sf->GetFragment (first + i).GetByteValue ();
          if (bv && bv->GetLength ())
            {
              std::memcpy (*joined + at, bv->GetPointer (), bv->GetLength ());
              at += bv->GetLength ();
            }
        }
      *data = *joined;
      *length = total;
      return 1;
    }
  catch (...)
    {
      std::free (*joined);
      *joined = nullptr;
      return 0;
    }
}

static void
setup_image (gdcm::Image &img, const LbGdcmPixelFormat *f, uint32_t frames,
             const gdcm::TransferSyntax &ts)
{
  img.SetNumberOfDimensions (frames > 1 ? 3 : 2);
  img.SetDimension (0, f->columns);
  img.SetDimension (1, f->rows);
  if (frames > 1)
    img.SetDimension (2, frames);
  gdcm::PixelFormat pf (f->samples_per_pixel, f->bits_allocated, f->bits_stored, f->high_bit,
                        f->pixel_representation);
  img.SetPixelFormat (pf);
  img.SetPhotometricInterpretation (
    gdcm::PhotometricInterpretation (gdcm::PhotometricInterpretation::GetPIType (f->photometric)));
  img.SetPlanarConfiguration (f->planar_configuration);
  img.SetTransferSyntax (ts);
}

/* Decodes @img with the one codec of its transfer syntax.  gdcm::Bitmap::GetBuffer would
 * try every codec in turn, and after IJG fails it runs the external pvrg-jpeg program on a
 * copy of the data in /tmp (seen while fuzzing). */
static bool
decode_image (const gdcm::Image &img, char *out, uint64_t length)
{
  const gdcm::TransferSyntax &ts = img.GetTransferSyntax ();
  gdcm::JPEGCodec jpeg;
  gdcm::JPEGLSCodec jpegls;
  gdcm::JPEG2000Codec j2k;
  gdcm::ImageCodec *codec;

  if (jpeg.CanDecode (ts))
    codec = &jpeg;
  else if (jpegls.CanDecode (ts))
    {
      jpegls.SetBufferLength ((unsigned long) length);
      codec = &jpegls;
    }
  else if (j2k.CanDecode (ts))
    codec = &j2k;
  else
    return false;

  codec->SetNumberOfDimensions (img.GetNumberOfDimensions ());
  codec->SetDimensions (img.GetDimensions ());
  codec->SetPlanarConfiguration (img.GetPlanarConfiguration ());
  codec->SetPhotometricInterpretation (img.GetPhotometricInterpretation ());
  codec->SetPixelFormat (img.GetPixelFormat ());
  codec->SetNeedOverlayCleanup (false);
  gdcm::DataElement decoded;
  if (!codec->Decode (img.GetDataElement (), decoded))
    return false;
  const gdcm::ByteValue *bv = decoded.GetByteValue ();
  if (!bv || bv->GetLength () < length)
    return false;
  std::memcpy (out, bv->GetPointer (), length);
  return true;
}

static void
copy_photometric (const gdcm::Image &img, char out[32])
{
  const char *pi = img.GetPhotometricInterpretation ().GetString ();
  std::string s = pi ? pi : "";
  while (!s.empty () && s.back () == ' ')
    s.pop_back ();
  std::strncpy (out, s.c_str (), 31);
  out[31] = '\0';
}

static LbGdcmStatus
decode_frame (LbGdcmReader *reader, const LbGdcmPixelFormat *format, uint32_t index, void *out,
              uint64_t out_length, char out_photometric[32], uint16_t *out_planar,
              char **message)
{
  LbGdcmStatus status = LB_GDCM_OK;
  try
    {
      const gdcm::File &file = reader->reader.GetFile ();
      const gdcm::TransferSyntax &ts = file.GetHeader ().GetDataSetTransferSyntax ();
      const gdcm::DataSet &d = file.GetDataSet ();
      gdcm::Tag pt (0x7fe0, 0x0010);
      const gdcm::SequenceOfFragments *sf = pixel_fragments (reader);
      if (!sf)
        {
          set_error (&status, message, LB_GDCM_ERR_INTERNAL, "pixel data is not encapsulated");
          return status;
        }
      if (index >= format->frames)
        {
          set_error (&status, message, LB_GDCM_ERR_INTERNAL, "no such frame");
          return status;
        }
      ensure_frames_mapped (reader, *sf, format->frames);

      if (!reader->frame_fragments.empty ())
        {
          auto range = reader->frame_fragments[index];
          gdcm::SmartPointer<gdcm::SequenceOfFragments> frame_sf = new gdcm::SequenceOfFragments;
          for (uint32_t i = 0; i < range.second; i++)
            frame_sf->AddFragment (sf->GetFragment (range.first + i));
          gdcm::DataElement pixel (pt);
          pixel.SetValue (*frame_sf);
          pixel.SetVLToUndefined ();
          pixel.SetVR (gdcm::VR::OB);

          gdcm::Image img;
          setup_image (img, format, 1, ts);
          img.SetDataElement (pixel);
          if (img.GetBufferLength () != out_length)
            {
              set_error (&status, message, LB_GDCM_ERR_UNSUPPORTED,
                         "the decoded frame size does not match the image attributes");
              return status;
            }
          if (!decode_image (img, static_cast<char *> (out), out_length))
            {
              set_error (&status, message, LB_GDCM_ERR_DECODE,
                         std::string ("the ") + ts.GetString () + " codec could not decode frame " +
                           std::to_string (index + 1));
              return status;
            }
          copy_photometric (img, out_photometric);
          *out_planar = (uint16_t) img.GetPlanarConfiguration ();
          return LB_GDCM_OK;
        }

      if (reader->whole.empty ())
        {
          gdcm::Image img;
          setup_image (img, format, format->frames, ts);
          img.SetDataElement (d.GetDataElement (pt));
          uint64_t total = (uint64_t) img.GetBufferLength ();
          if (total != out_length * format->frames)
            {
              set_error (&status, message, LB_GDCM_ERR_UNSUPPORTED,
                         "the decoded image size does not match the image attributes");
              return status;
            }
          reader->whole.resize (total);
          if (!decode_image (img, reader->whole.data (), total))
            {
              reader->whole.clear ();
              set_error (&status, message, LB_GDCM_ERR_DECODE,
                         std::string ("the ") + ts.GetString () + " codec could not decode the image");
              return status;
            }
          char pi[32];
          copy_photometric (img, pi);
          reader->whole_photometric = pi;
          reader->whole_planar = (uint16_t) img.GetPlanarConfiguration ();
        }
      std::memcpy (out, reader->whole.data () + out_length * index, out_length);
      std::strncpy (out_photometric, reader->whole_photometric.c_str (), 31);
      out_photometric[31] = '\0';
      *out_planar = reader->whole_planar;
      return LB_GDCM_OK;
    }
  catch (const std::bad_alloc &)
    {
      if (allocation_refused)
        set_error (&status, message, LB_GDCM_ERR_DECODE,
                   "the compressed data describes a larger image than the header");
      else
        set_error (&status, message, LB_GDCM_ERR_NO_MEMORY, "out of memory while decoding");
    }
  catch (const std::exception &e)
    {
      set_error (&status, message, LB_GDCM_ERR_DECODE, std::string ("decoding failed: ") + e.what ());
    }
  catch (...)
    {
      set_error (&status, message, LB_GDCM_ERR_INTERNAL, "unknown error in GDCM");
    }
  return status;
}

extern "C" LbGdcmStatus
lb_gdcm_reader_decode_frame (LbGdcmReader *reader, const LbGdcmPixelFormat *format, uint32_t index,
                             void *out, uint64_t out_length, char out_photometric[32],
                             uint16_t *out_planar, char **message)
{
  if (message)
    *message = nullptr;
  Ticket ticket;
  if (!ticket)
    {
      LbGdcmStatus closed = LB_GDCM_OK;
      set_error (&closed, message, LB_GDCM_ERR_INTERNAL, CLOSED);
      return closed;
    }
  /* A codec needs the whole image at most (when frames cannot be told apart), plus its
   * working memory. */
  size_t cap = (size_t) out_length * (format->frames ? format->frames : 1) * 2 + (16u << 20);
  LbGdcmStatus status = LB_GDCM_OK;
  std::string assertion;
  if (!guarded (cap,
                [&] {
                  status = decode_frame (reader, format, index, out, out_length, out_photometric,
                                         out_planar, message);
                },
                assertion))
    {
      if (message && *message)
        {
          std::free (*message);
          *message = nullptr;
        }
      set_error (&status, message, LB_GDCM_ERR_DECODE,
                 "the codec failed an internal check (" + assertion + ")");
    }
  return status;
}

/* ---- writing ---------------------------------------------------------------------- */

static bool
encode_binary (gdcm::VR vr, const char *value, std::string &out)
{
  std::stringstream in (value);
  std::string part;
  while (std::getline (in, part, '\\'))
    {
      char *end = nullptr;
      errno = 0;
      union {
        uint16_t u16;
        int16_t s16;
        uint32_t u32;
        int32_t s32;
        float f32;
        double f64;
        char bytes[8];
      } v;
      size_t n;
      switch (vr)
        {
        case gdcm::VR::US:
          {
            unsigned long x = std::strtoul (part.c_str (), &end, 10);
            if (x > 0xffff)
              return false;
            v.u16 = (uint16_t) x;
            n = 2;
            break;
          }
        case gdcm::VR::SS:
          {
            long x = std::strtol (part.c_str (), &end, 10);
            if (x < -32768 || x > 32767)
              return false;
            v.s16 = (int16_t) x;
            n = 2;
            break;
          }
        case gdcm::VR::UL:
          v.u32 = (uint32_t) std::strtoul (part.c_str (), &end, 10);
          n = 4;
          break;
        case gdcm::VR::SL:
          v.s32 = (int32_t) std::strtol (part.c_str (), &end, 10);
          n = 4;
          break;
        case gdcm::VR::FL:
          v.f32 = std::strtof (part.c_str (), &end);
          n = 4;
          break;
        case gdcm::VR::FD:
          v.f64 = std::strtod (part.c_str (), &end);
          n = 8;
          break;
        default:
          return false;
        }
      if (!end || *end != '\0' || errno != 0 || part.empty ())
        return false;
      out.append (v.bytes, n);
    }
  return true;
}

static bool
set_value (gdcm::DataSet &ds, uint32_t tag, const char *vr_name, const char *data, size_t len,
           bool text)
{
  gdcm::VR vr = gdcm::VR::GetVRType (vr_name);
  if (vr == gdcm::VR::INVALID)
    return false;
  if (vr == gdcm::VR::SQ)
    {
      /* An empty value makes an empty sequence, as type 2 sequences with nothing to say
       * must be written; items go in with lb_gdcm_item_append(). */
      if (len != 0)
        return false;
      gdcm::SmartPointer<gdcm::SequenceOfItems> sq = new gdcm::SequenceOfItems ();
      sq->SetLengthToUndefined ();
      gdcm::DataElement de (to_tag (tag));
      de.SetVR (gdcm::VR::SQ);
      de.SetValue (*sq);
      de.SetVLToUndefined ();
      ds.Replace (de);
      return true;
    }
  std::string bytes;
  if (text && (vr & gdcm::VR::VRBINARY) && vr != gdcm::VR::OB && vr != gdcm::VR::OW &&
      vr != gdcm::VR::UN)
    {
      if (!encode_binary (vr, data, bytes))
        return false;
    }
  else
    {
      bytes.assign (data, len);
      if (bytes.size () % 2)
        bytes.push_back (vr == gdcm::VR::UI || !text ? '\0' : ' ');
    }
  gdcm::DataElement de (to_tag (tag));
  de.SetVR (vr);
  de.SetByteValue (bytes.data (), (uint32_t) bytes.size ());
  ds.Replace (de);
  return true;
}

extern "C" LbGdcmWriter *
lb_gdcm_writer_new (void)
{
  try
    {
      return new _LbGdcmWriter ();
    }
  catch (...)
    {
      return nullptr;
    }
}

extern "C" void
lb_gdcm_writer_free (LbGdcmWriter *writer)
{
  try
    {
      delete writer;
    }
  catch (...)
    {
    }
}

extern "C" LbGdcmItem *
lb_gdcm_writer_get_root (LbGdcmWriter *writer)
{
  return &writer->root;
}

extern "C" LbGdcmItem *
lb_gdcm_item_new (void)
{
  try
    {
      return new _LbGdcmItem ();
    }
  catch (...)
    {
      return nullptr;
    }
}

extern "C" void
lb_gdcm_item_free (LbGdcmItem *item)
{
  try
    {
      delete item;
    }
  catch (...)
    {
    }
}

extern "C" int
lb_gdcm_item_set_string (LbGdcmItem *item, uint32_t tag, const char *vr, const char *value)
{
  Ticket ticket;
  if (!ticket)
    return 0;
  try
    {
      return set_value (item->ds, tag, vr, value, std::strlen (value), true) ? 1 : 0;
    }
  catch (...)
    {
      return 0;
    }
}

extern "C" int
lb_gdcm_item_set_bytes (LbGdcmItem *item, uint32_t tag, const char *vr, const void *data,
                        uint64_t length)
{
  Ticket ticket;
  if (!ticket)
    return 0;
  try
    {
      if (length > 0xfffffffeu)
        return 0;
      return set_value (item->ds, tag, vr, static_cast<const char *> (data), (size_t) length,
                        false)
               ? 1
               : 0;
    }
  catch (...)
    {
      return 0;
    }
}

extern "C" int
lb_gdcm_item_append (LbGdcmItem *parent, uint32_t sequence_tag, const LbGdcmItem *child)
{
  Ticket ticket;
  if (!ticket)
    return 0;
  try
    {
      gdcm::Tag t = to_tag (sequence_tag);
      gdcm::SmartPointer<gdcm::SequenceOfItems> sq;
      if (parent->ds.FindDataElement (t))
        sq = parent->ds.GetDataElement (t).GetValueAsSQ ();
      if (!sq)
        {
          sq = new gdcm::SequenceOfItems ();
          sq->SetLengthToUndefined ();
        }
      gdcm::Item item;
      item.SetVLToUndefined ();
      item.SetNestedDataSet (child->ds);
      sq->AddItem (item);
      gdcm::DataElement de (t);
      de.SetVR (gdcm::VR::SQ);
      de.SetValue (*sq);
      de.SetVLToUndefined ();
      parent->ds.Replace (de);
      return 1;
    }
  catch (...)
    {
      return 0;
    }
}

extern "C" int
lb_gdcm_writer_set_pixels (LbGdcmWriter *writer, const LbGdcmPixelFormat *format,
                           const void *data, uint64_t length)
{
  try
    {
      uint64_t expect = (uint64_t) format->columns * format->rows * format->frames *
                        format->samples_per_pixel * (format->bits_allocated / 8);
      if (format->bits_allocated % 8 || length != expect || length > 0xfffffffeu)
        return 0;
      writer->format = *format;
      writer->photometric = format->photometric;
      writer->format.photometric = nullptr;
      writer->pixels.assign (static_cast<const char *> (data),
                             static_cast<const char *> (data) + length);
      writer->has_pixels = true;
      return 1;
    }
  catch (...)
    {
      return 0;
    }
}

static void
set_pixel_module (gdcm::DataSet &ds, const LbGdcmPixelFormat &f, const std::string &pi)
{
  auto us = [&ds] (uint32_t tag, unsigned v) {
    set_value (ds, tag, "US", std::to_string (v).c_str (), 0, true);
  };
  us (0x00280002, f.samples_per_pixel);
  set_value (ds, 0x00280004, "CS", pi.c_str (), pi.size (), true);
  if (f.frames > 1)
    {
      std::string n = std::to_string (f.frames);
      set_value (ds, 0x00280008, "IS", n.c_str (), n.size (), true);
    }
  us (0x00280010, f.rows);
  us (0x00280011, f.columns);
  us (0x00280100, f.bits_allocated);
  us (0x00280101, f.bits_stored);
  us (0x00280102, f.high_bit);
  us (0x00280103, f.pixel_representation);
  if (f.samples_per_pixel > 1)
    us (0x00280006, f.planar_configuration);
}

static LbGdcmStatus
write_to (LbGdcmWriter *writer, const char *transfer_syntax, std::ostream &os, char **message)
{
  LbGdcmStatus status = LB_GDCM_OK;
  gdcm::TransferSyntax ts (gdcm::TransferSyntax::GetTSType (transfer_syntax));
  if (ts == gdcm::TransferSyntax::TS_END)
    {
      set_error (&status, message, LB_GDCM_ERR_UNSUPPORTED,
                 std::string ("unknown transfer syntax ") + transfer_syntax);
      return status;
    }
  /* GDCM objects handed to a gdcm::Writer or a filter are reference-counted by them and
   * deleted when they let go: they must live on the heap, never on the stack. */
  gdcm::Writer w;
  gdcm::File &file = w.GetFile ();
  gdcm::DataSet &ds = file.GetDataSet ();
  ds = writer->root.ds;

  if (writer->has_pixels)
    {
      const LbGdcmPixelFormat &f = writer->format;
      gdcm::SmartPointer<gdcm::Image> img = new gdcm::Image;
      LbGdcmPixelFormat fmt = f;
      fmt.photometric = writer->photometric.c_str ();
      setup_image (*img, &fmt, f.frames, gdcm::TransferSyntax::ExplicitVRLittleEndian);
      gdcm::DataElement pixel (gdcm::Tag (0x7fe0, 0x0010));
      pixel.SetVR (f.bits_allocated > 8 ? gdcm::VR::OW : gdcm::VR::OB);
      pixel.SetByteValue (writer->pixels.data (), (uint32_t) writer->pixels.size ());
      img->SetDataElement (pixel);

      std::string pi = writer->photometric;
      /* GDCM pads an odd pixel buffer to even length and its RLE encoder then fails an
       * assertion (an abort in Debian's build) instead of returning an error. */
      if (ts == gdcm::TransferSyntax::RLELossless && writer->pixels.size () % 2 != 0)
        {
          set_error (&status, message, LB_GDCM_ERR_UNSUPPORTED,
                     "GDCM cannot RLE-encode pixel data of an odd number of bytes");
          return status;
        }
      if (ts.IsEncapsulated ())
        {
          gdcm::ImageChangeTransferSyntax change;
          change.SetTransferSyntax (ts);
          change.SetInput (*img);
          gdcm::JPEGLSCodec jpegls;
          gdcm::JPEG2000Codec j2k;
          gdcm::JPEGCodec jpeg;
          if (ts == gdcm::TransferSyntax::JPEGLSNearLossless)
            {
              jpegls.SetLossless (false);
              jpegls.SetLossyError (2);
              change.SetUserCodec (&jpegls);
            }
          else if (ts == gdcm::TransferSyntax::JPEG2000)
            {
              j2k.SetReversible (false);
              j2k.SetRate (0, 10);
              change.SetUserCodec (&j2k);
            }
          else if (ts == gdcm::TransferSyntax::JPEGBaselineProcess1 ||
                   ts == gdcm::TransferSyntax::JPEGExtendedProcess2_4)
            {
              jpeg.SetLossless (false);
              jpeg.SetQuality (90);
              change.SetUserCodec (&jpeg);
            }
          if (!change.Change ())
            {
              set_error (&status, message, LB_GDCM_ERR_UNSUPPORTED,
                         std::string ("GDCM cannot encode these pixels as ") + transfer_syntax);
              return status;
            }
          const gdcm::Image &outimg = change.GetOutput ();
          ds.Replace (outimg.GetDataElement ());
          char cpi[32];
          copy_photometric (outimg, cpi);
          pi = cpi;
          /* GDCM's lossy JPEG encoder stores RGB as YCbCr with subsampled chroma but keeps
           * the RGB label; PS3.5 8.2.1 names such a stream YBR_FULL_422. */
          if ((ts == gdcm::TransferSyntax::JPEGBaselineProcess1 ||
               ts == gdcm::TransferSyntax::JPEGExtendedProcess2_4) &&
              f.samples_per_pixel == 3 && pi == "RGB")
            pi = "YBR_FULL_422";
          if (ts.IsLossy ())
            {
              set_value (ds, 0x00282110, "CS", "01", 2, true);
              const char *method = ts == gdcm::TransferSyntax::JPEG2000       ? "ISO_15444_1"
                                   : ts == gdcm::TransferSyntax::JPEGLSNearLossless ? "ISO_14495_1"
                                                                                     : "ISO_10918_1";
              set_value (ds, 0x00282114, "CS", method, std::strlen (method), true);
            }
        }
      else
        ds.Replace (pixel);
      set_pixel_module (ds, f, pi);
    }

  gdcm::FileMetaInformation &meta = file.GetHeader ();
  meta.SetDataSetTransferSyntax (ts);
  w.SetStream (os);
  if (!w.Write ())
    {
      set_error (&status, message, LB_GDCM_ERR_IO, "GDCM could not write the data set");
      return status;
    }
  return LB_GDCM_OK;
}

extern "C" LbGdcmStatus
lb_gdcm_writer_write_file (LbGdcmWriter *writer, const char *path, const char *transfer_syntax,
                           char **message)
{
  if (message)
    *message = nullptr;
  Ticket ticket;
  if (!ticket)
    {
      LbGdcmStatus closed = LB_GDCM_OK;
      set_error (&closed, message, LB_GDCM_ERR_INTERNAL, CLOSED);
      return closed;
    }
  LbGdcmStatus status = LB_GDCM_OK;
  try
    {
      std::ostringstream os;
      status = write_to (writer, transfer_syntax, os, message);
      if (status != LB_GDCM_OK)
        return status;
      std::string bytes = os.str ();
      FILE *fp = std::fopen (path, "wb");
      if (!fp)
        {
          set_error (&status, message, LB_GDCM_ERR_IO, std::string ("cannot create ") + path);
          return status;
        }
      bool ok = std::fwrite (bytes.data (), 1, bytes.size (), fp) == bytes.size ();
      ok = std::fclose (fp) == 0 && ok;
      if (!ok)
        set_error (&status, message, LB_GDCM_ERR_IO, std::string ("cannot write ") + path);
      return status;
    }
  catch (const std::bad_alloc &)
    {
      set_error (&status, message, LB_GDCM_ERR_NO_MEMORY, "out of memory while writing");
    }
  catch (const std::exception &e)
    {
      set_error (&status, message, LB_GDCM_ERR_INTERNAL, std::string ("writing failed: ") + e.what ());
    }
  catch (...)
    {
      set_error (&status, message, LB_GDCM_ERR_INTERNAL, "unknown error in GDCM");
    }
  return status;
}

extern "C" LbGdcmStatus
lb_gdcm_writer_write_memory (LbGdcmWriter *writer, const char *transfer_syntax, uint8_t **out,
                             uint64_t *out_length, char **message)
{
  if (message)
    *message = nullptr;
  *out = nullptr;
  *out_length = 0;
  Ticket ticket;
  if (!ticket)
    {
      LbGdcmStatus closed = LB_GDCM_OK;
      set_error (&closed, message, LB_GDCM_ERR_INTERNAL, CLOSED);
      return closed;
    }
  LbGdcmStatus status = LB_GDCM_OK;
  try
    {
      std::ostringstream os;
      status = write_to (writer, transfer_syntax, os, message);
      if (status != LB_GDCM_OK)
        return status;
      std::string bytes = os.str ();
      *out = static_cast<uint8_t *> (std::malloc (bytes.size () ? bytes.size () : 1));
      if (!*out)
        {
          set_error (&status, message, LB_GDCM_ERR_NO_MEMORY, "out of memory while writing");
          return status;
        }
      std::memcpy (*out, bytes.data (), bytes.size ());
      *out_length = bytes.size ();
      return LB_GDCM_OK;
    }
  catch (const std::bad_alloc &)
    {
      set_error (&status, message, LB_GDCM_ERR_NO_MEMORY, "out of memory while writing");
    }
  catch (const std::exception &e)
    {
      set_error (&status, message, LB_GDCM_ERR_INTERNAL, std::string ("writing failed: ") + e.what ());
    }
  catch (...)
    {
      set_error (&status, message, LB_GDCM_ERR_INTERNAL, "unknown error in GDCM");
    }
  return status;
}

extern "C" void
lb_gdcm_generate_uid (char out[65])
{
  out[0] = '\0';
  try
    {
      gdcm::UIDGenerator gen;
      const char *uid = gen.Generate ();
      std::strncpy (out, uid ? uid : "", 64);
      out[64] = '\0';
    }
  catch (...)
    {
    }
}
