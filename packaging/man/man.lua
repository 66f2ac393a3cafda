-- pandoc filter for the man pages made from docs/*.md (packaging/build.sh).
--
-- Links: a page of docs/ names its installed copy under /usr/share/doc/ipvs-checkd (the man writer prints no
-- relative link targets at all), web addresses stay, anchors and files the package does not ship keep their text.
--
-- Tables become definition lists: a man page in a terminal reads better that way than as a table with narrow
-- columns, where long key names cannot break.

local doc = '/usr/share/doc/ipvs-checkd/'

function Link(el)
  local target = el.target
  if target:match('^https?:') then
    return el
  end
  local page = target:match('^([%w%-_]+%.%w+)$') or target:match('^([%w%-_]+%.%w+)#')
  if page then
    local out = el.content
    out:insert(pandoc.Space())
    out:insert(pandoc.Str('(' .. doc .. page .. ')'))
    return out
  end
  return el.content
end

-- One definition per row: the first cell is the term, followed by the middle columns as "(header: value; ...)", and
-- the last column is the text. (groff 1.22's tbl warns about text blocks in long pages, and lintian reports every warning.)
function Table(tbl)
  local headers = {}
  for c, cell in ipairs(tbl.head.rows[1] and tbl.head.rows[1].cells or {}) do
    headers[c] = pandoc.utils.stringify(cell.contents)
  end
  local items = {}
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      local cells = row.cells
      local term = pandoc.utils.blocks_to_inlines(cells[1].contents)
      local extra = pandoc.List()
      for c = 2, #cells - 1 do
        local value = pandoc.utils.blocks_to_inlines(cells[c].contents)
        if #value > 0 then
          extra:extend({ pandoc.Str(#extra == 0 and '(' or ';'), pandoc.Space(), pandoc.Str((headers[c] or '') .. ':'), pandoc.Space() })
          extra:extend(value)
        end
      end
      if #extra > 0 then
        extra[1] = pandoc.Str('(')
        table.remove(extra, 2)
        extra:insert(pandoc.Str(')'))
        term:insert(pandoc.Space())
        term:extend(extra)
      end
      local blocks = { pandoc.Para(#cells > 1 and pandoc.utils.blocks_to_inlines(cells[#cells].contents) or {}) }
      table.insert(items, { term, blocks })
    end
  end
  return pandoc.DefinitionList(items)
end
