"""Seed corpus, topic: matrices."""


def diagonal_sums(matrix: list[list[int]]) -> list[int]:
    """The matrix is a rectangular list of rows. For every diagonal running from upper-left to lower-right,
    compute the sum of its entries, and return these sums ordered from the diagonal holding the bottom-left
    cell to the diagonal holding the top-right cell. A matrix with no rows or no columns gives an empty
    list. Raise ValueError if the rows have different lengths.

    >>> diagonal_sums([[4, 1], [2, 7]])
    [2, 11, 1]
    >>> diagonal_sums([[1, 2, 3]])
    [1, 2, 3]
    >>> diagonal_sums([])
    []
    """
    if any(len(row) != len(matrix[0]) for row in matrix):
        raise ValueError("matrix rows must all have the same length")
    if not matrix or not matrix[0]:
        return []
    offset = len(matrix) - 1
    sums = [0] * (len(matrix) + len(matrix[0]) - 1)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            sums[j - i + offset] += value
    return sums


def rotate_matrix_clockwise(matrix: list[list[int]]) -> list[list[int]]:
    """Return a new matrix equal to the given rectangular matrix rotated by 90 degrees clockwise, so an
    m-by-n input becomes n-by-m and the first column read bottom-to-top becomes the first row. A matrix
    with no rows or no columns gives an empty list. Raise ValueError if the rows have different lengths.

    >>> rotate_matrix_clockwise([[3, 1, 4], [1, 5, 9]])
    [[1, 3], [5, 1], [9, 4]]
    >>> rotate_matrix_clockwise([[7]])
    [[7]]
    >>> rotate_matrix_clockwise([])
    []
    """
    if any(len(row) != len(matrix[0]) for row in matrix):
        raise ValueError("matrix rows must all have the same length")
    return [list(column) for column in zip(*matrix[::-1])]


def spiral_order_clockwise(matrix: list[list[int]]) -> list[int]:
    """Return the entries of a rectangular matrix in clockwise spiral order: start at the top-left entry,
    go right along the top row, down the right column, left along the bottom row, up the left column, and
    continue inwards until every entry is listed once. Raise ValueError if the rows have different lengths.

    >>> spiral_order_clockwise([[2, 4, 6], [8, 10, 12], [14, 16, 18]])
    [2, 4, 6, 12, 18, 16, 14, 8, 10]
    >>> spiral_order_clockwise([[7, 1], [0, 3], [5, 9]])
    [7, 1, 3, 9, 5, 0]
    >>> spiral_order_clockwise([])
    []
    """
    if any(len(row) != len(matrix[0]) for row in matrix):
        raise ValueError("matrix rows must all have the same length")
    grid = [list(row) for row in matrix]
    order: list[int] = []
    while grid:
        order.extend(grid.pop(0))
        grid = [list(row) for row in zip(*grid)][::-1]
    return order


def is_toeplitz(matrix: list[list[int]]) -> bool:
    """Decide whether a rectangular matrix is constant along every diagonal that runs from upper-left to
    lower-right, i.e. matrix[i][j] == matrix[i + 1][j + 1] wherever both exist. An empty matrix qualifies.
    Raise ValueError if the rows have different lengths.

    >>> is_toeplitz([[6, 2, 3], [4, 6, 2], [5, 4, 6]])
    True
    >>> is_toeplitz([[1, 2], [2, 2]])
    False
    >>> is_toeplitz([[8, 9, 0]])
    True
    """
    if any(len(row) != len(matrix[0]) for row in matrix):
        raise ValueError("matrix rows must all have the same length")
    return all(upper[:-1] == lower[1:] for upper, lower in zip(matrix, matrix[1:]))


def row_with_largest_sum(matrix: list[list[int]]) -> int:
    """Return the index of the row whose entries have the largest sum; rows may have different lengths and
    an empty row sums to 0. When several rows share the largest sum, return the smallest such index. Raise
    ValueError if the matrix has no rows.

    >>> row_with_largest_sum([[1, 2], [5], [-1, 9]])
    2
    >>> row_with_largest_sum([[3], [1, 2], [0]])
    0
    >>> row_with_largest_sum([[], [-4]])
    0
    """
    if not matrix:
        raise ValueError("matrix must have at least one row")
    return max(range(len(matrix)), key=lambda i: sum(matrix[i]))


def saddle_points(matrix: list[list[int]]) -> list[tuple[int, int]]:
    """Find every entry of a rectangular matrix that is less than or equal to all entries in its row and
    greater than or equal to all entries in its column, and return their (row, column) positions in
    row-major order. Return an empty list when there are none. Raise ValueError if the rows have different
    lengths.

    >>> saddle_points([[9, 8, 7], [5, 3, 2], [6, 6, 7]])
    [(0, 2)]
    >>> saddle_points([[1, 2], [2, 1]])
    []
    >>> saddle_points([[4, 4], [4, 4]])
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    """
    if any(len(row) != len(matrix[0]) for row in matrix):
        raise ValueError("matrix rows must all have the same length")
    column_max = [max(column) for column in zip(*matrix)]
    points = []
    for i, row in enumerate(matrix):
        row_min = min(row, default=0)
        points.extend((i, j) for j, value in enumerate(row) if value == row_min == column_max[j])
    return points


def submatrix_sum(matrix: list[list[int]], top_left: tuple[int, int], bottom_right: tuple[int, int]) -> int:
    """Return the sum of the entries of a rectangular matrix inside the block whose corners are the
    (row, column) positions `top_left` and `bottom_right`, both included. Raise ValueError if the rows have
    different lengths, if either corner lies outside the matrix, or if `top_left` is below or to the right
    of `bottom_right`.

    >>> submatrix_sum([[2, 0, 1], [5, -1, 3], [4, 4, 8]], (1, 1), (2, 2))
    14
    >>> submatrix_sum([[3, 1, 4], [1, 5, 9]], (0, 1), (1, 1))
    6
    >>> submatrix_sum([[-3]], (0, 0), (0, 0))
    -3
    """
    if any(len(row) != len(matrix[0]) for row in matrix):
        raise ValueError("matrix rows must all have the same length")
    (r1, c1), (r2, c2) = top_left, bottom_right
    rows, cols = len(matrix), len(matrix[0]) if matrix else 0
    if not (0 <= r1 <= r2 < rows and 0 <= c1 <= c2 < cols):
        raise ValueError("corners are outside the matrix or out of order")
    return sum(sum(row[c1 : c2 + 1]) for row in matrix[r1 : r2 + 1])


def region_size(grid: list[list[int]], start: tuple[int, int]) -> int:
    """Return the number of cells in the region of a rectangular grid that contains the (row, column)
    position `start`: cells belong to it when they hold the same value as `start` and can be reached from
    it by moving up, down, left or right through such cells. Raise ValueError if the rows have different
    lengths or `start` lies outside the grid.

    >>> region_size([[1, 1, 0], [0, 1, 0], [1, 0, 0]], (0, 0))
    3
    >>> region_size([[1, 1, 0], [0, 1, 0], [1, 0, 0]], (0, 2))
    4
    >>> region_size([[5]], (0, 0))
    1
    """
    if any(len(row) != len(grid[0]) for row in grid):
        raise ValueError("grid rows must all have the same length")
    row, col = start
    if not (0 <= row < len(grid) and 0 <= col < len(grid[0])):
        raise ValueError("start lies outside the grid")
    value = grid[row][col]
    seen = {(row, col)}
    stack = [(row, col)]
    while stack:
        r, c = stack.pop()
        for nr, nc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            inside = 0 <= nr < len(grid) and 0 <= nc < len(grid[0])
            if inside and (nr, nc) not in seen and grid[nr][nc] == value:
                seen.add((nr, nc))
                stack.append((nr, nc))
    return len(seen)


def is_upper_triangular(matrix: list[list[int]]) -> bool:
    """Decide whether the matrix is square and every entry strictly below its main diagonal is zero. A
    matrix that is not square, including one whose rows have different lengths, does not qualify; the
    empty matrix (no rows) does.

    >>> is_upper_triangular([[1, 2, 3], [0, 4, 5], [0, 0, 6]])
    True
    >>> is_upper_triangular([[7, 2], [1, 4]])
    False
    >>> is_upper_triangular([[1, 2, 3], [0, 4, 5]])
    False
    >>> is_upper_triangular([])
    True
    """
    n = len(matrix)
    if any(len(row) != n for row in matrix):
        return False
    return all(matrix[i][j] == 0 for i in range(n) for j in range(i))


def neighbor_sums(matrix: list[list[int]]) -> list[list[int]]:
    """Return a new matrix of the same shape in which every entry is replaced by the sum of the entries of
    its up to eight neighbours (horizontal, vertical and diagonal), not counting the entry itself. Raise
    ValueError if the rows have different lengths.

    >>> neighbor_sums([[2, 5], [1, 3]])
    [[9, 6], [10, 8]]
    >>> neighbor_sums([[1, 1, 1]])
    [[1, 2, 1]]
    >>> neighbor_sums([[5]])
    [[0]]
    """
    if any(len(row) != len(matrix[0]) for row in matrix):
        raise ValueError("matrix rows must all have the same length")
    rows = len(matrix)
    cols = len(matrix[0]) if matrix else 0
    result = []
    for i in range(rows):
        block_rows = matrix[max(0, i - 1) : i + 2]
        result.append(
            [sum(sum(r[max(0, j - 1) : j + 2]) for r in block_rows) - matrix[i][j] for j in range(cols)]
        )
    return result
